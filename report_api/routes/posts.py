"""An account's posts: capped pages, keyset cursor (offset still accepted), sort options.

``GET /api/accounts/{account_id}/posts`` is the endpoint; ``GET /api/posts/{account_id}`` is
its 1.x path, answering the same until 3.0 (deprecated in OpenAPI).
"""

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from report_api import cursors
from report_api.deps import RATE_LIMITED, ConnDep, UserDep
from report_api.errors import invalid, not_found
from report_api.queries import accounts as account_queries
from report_api.queries import posts as queries
from report_api.routes.common import AUTH_ERRORS, NOT_FOUND
from report_api.schemas.common import MAX_ID
from report_api.schemas.posts import PostsPage

router = APIRouter(tags=["posts"], dependencies=[RATE_LIMITED])

AccountId = Annotated[int, Path(ge=1, le=MAX_ID)]


@dataclass(frozen=True)
class PageParams:
    """The query parameters both paths share."""

    limit: int
    cursor: str | None
    offset: int
    sort: Literal["created_at", "engagement", "engagement_rate"]
    order: Literal["asc", "desc"]
    include_deleted: bool


def page_params(
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=1024,
                                        description="next_cursor of the previous page")] = None,
    offset: Annotated[int, Query(ge=0, le=100_000,
                                 description="Compatibility; prefer cursor")] = 0,
    sort: Annotated[Literal["created_at", "engagement", "engagement_rate"], Query(
        description="engagement_rate: by followers")] = "created_at",
    order: Literal["asc", "desc"] = "desc",
    include_deleted: bool = False,
) -> PageParams:
    if cursor is not None and offset:
        raise invalid("offset", "use either cursor or offset, not both")
    return PageParams(limit, cursor, offset, sort, order, include_deleted)


PageDep = Annotated[PageParams, Depends(page_params)]


def _post(r: dict) -> dict:
    engagement = {"likes": r["likes"], "comments": r["comments"], "shares": r["shares"],
                  "saves": r["saves"], "total": r["engagement"]}
    skip = {"likes", "comments", "shares", "saves", "engagement", "sort_value"}
    return {**{k: v for k, v in r.items() if k not in skip}, "engagement": engagement}


def _page(account_id: int, user: UserDep, conn: ConnDep, p: PageParams) -> PostsPage:
    visible = conn.execute(account_queries.VISIBLE_ACCOUNTS,
                           {"ids": [account_id], "ws": user.ws}).fetchall()
    if not visible:
        raise not_found("account")
    after = cursors.parse_post_cursor(p.cursor, p.sort, p.order) if p.cursor else None
    rows = queries.posts_page(conn, account_id, p.sort, p.order, p.limit, p.offset, after,
                              p.include_deleted)
    page, more = rows[:p.limit], len(rows) > p.limit
    next_cursor = (cursors.post_cursor(p.sort, p.order, page[-1]["sort_value"],
                                       page[-1]["post_id"]) if more and page else None)
    return PostsPage.model_validate({
        "account_id": account_id, "posts": [_post(r) for r in page], "limit": p.limit,
        "sort": p.sort, "order": p.order, "next_cursor": next_cursor})


@router.get("/accounts/{account_id}/posts", response_model=PostsPage,
            responses={**AUTH_ERRORS, **NOT_FOUND})
def list_account_posts(account_id: AccountId, user: UserDep, conn: ConnDep,
                       params: PageDep) -> PostsPage:
    """Posts of one account with their latest engagement."""
    return _page(account_id, user, conn, params)


@router.get("/posts/{account_id}", response_model=PostsPage, deprecated=True,
            responses={**AUTH_ERRORS, **NOT_FOUND})
def list_posts(account_id: AccountId, user: UserDep, conn: ConnDep,
               params: PageDep) -> PostsPage:
    """Deprecated path of `GET /api/accounts/{account_id}/posts` (same answer); removed in 3.0."""
    return _page(account_id, user, conn, params)
