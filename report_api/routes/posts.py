"""An account's posts: capped pages, keyset cursor (offset still accepted), sort options."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from report_api import cursors, queries
from report_api.deps import RATE_LIMITED, ConnDep, UserDep
from report_api.errors import invalid, not_found
from report_api.routes.common import AUTH_ERRORS, NOT_FOUND
from report_api.schemas import PostsPage

router = APIRouter(prefix="/posts", tags=["posts"], dependencies=[RATE_LIMITED])


def _post(r: dict) -> dict:
    return {
        "id": r["post_key"], "post_id": r["post_id"], "platform": r["platform"],
        "content": r["text"], "url": r["post_url"], "media_type": r["media_type"],
        "created_at": r["created_at"], "is_deleted": r["is_deleted"],
        "engagement": {"likes": r["likes"], "comments": r["comments"], "shares": r["shares"],
                       "saves": r["saves"], "total": r["engagement"]},
        **{k: r[k] for k in ("clicks", "impressions", "reach", "views",
                             "engagement_rate_by_followers", "engagement_rate_by_impressions",
                             "engagement_rate_by_reach", "sentiment_label",
                             "sentiment_compound", "metrics_observed_at")},
    }


@router.get("/{account_id}", response_model=PostsPage, responses={**AUTH_ERRORS, **NOT_FOUND})
def list_posts(
    account_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    user: UserDep, conn: ConnDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=1024,
                                        description="next_cursor of the previous page")] = None,
    offset: Annotated[int, Query(ge=0, le=100_000,
                                 description="Compatibility; prefer cursor")] = 0,
    sort: Literal["created_at", "engagement", "engagement_rate"] = "created_at",
    order: Literal["asc", "desc"] = "desc",
    include_deleted: bool = False,
) -> PostsPage:
    """Posts of one account with their latest engagement."""
    if cursor is not None and offset:
        raise invalid("offset", "use either cursor or offset, not both")
    visible = conn.execute(queries.VISIBLE_ACCOUNTS,
                           {"ids": [account_id], "ws": list(user.workspace_ids)}).fetchall()
    if not visible:
        raise not_found("account")
    after = cursors.parse_post_cursor(cursor, sort, order) if cursor else None
    rows = queries.posts_page(conn, account_id, sort, order, limit, offset, after,
                              include_deleted)
    page, more = rows[:limit], len(rows) > limit
    next_cursor = (cursors.post_cursor(sort, order, page[-1]["sort_value"], page[-1]["post_key"])
                   if more and page else None)
    return PostsPage.model_validate({
        "account_id": account_id, "posts": [_post(r) for r in page], "limit": limit,
        "sort": sort, "order": order, "next_cursor": next_cursor})
