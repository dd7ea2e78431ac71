"""LinkedIn posts (``/rest/posts``: the author FINDER and BATCH_GET) and their comments
(``/rest/socialActions/{urn}/comments``), with LinkedIn's offset and token paging."""

from __future__ import annotations

import base64
from urllib.parse import quote

from fastapi import APIRouter, Request

from platform_sandbox import ids
from platform_sandbox.auth import TokenClaims
from platform_sandbox.linkedin import render as li
from platform_sandbox.linkedin.access import (
    guard,
    li_route,
    org_account,
    reads,
    urn_list,
    visible_posts,
)
from platform_sandbox.state import SandboxState

router = APIRouter(tags=["linkedin"])
MAX_COUNT = 100


def batch_get_posts(state: SandboxState, claims: TokenClaims, urns: list[str]) -> dict:
    """BATCH_GET ``ids=List(...)``: results, statuses and per-id errors (404 once deleted)."""
    now, results, statuses, errors = state.now(), {}, {}, {}
    for urn in urns:
        post = ids.find_post(state.world, "linkedin", urn)
        if post is not None and not reads(state, claims, post.account.platform_account_id):
            errors[urn] = {"status": 403, "message": "Not enough permissions", "code":
                           "ACCESS_DENIED"}
        elif post is None or not post.visible_at(now):
            errors[urn] = {"status": 404, "code": "NOT_FOUND",
                           "message": f"Post {urn} does not exist"}
        else:
            results[urn] = li.post_json(state.world, post, now)
        statuses[urn] = errors[urn]["status"] if urn in errors else 200
    return {"results": results, "statuses": statuses, "errors": errors}


@router.get("/rest/posts")
@li_route
def posts(request: Request, q: str | None = None, author: str | None = None,
          start: int = 0, count: int = 10, sortBy: str = "LAST_MODIFIED") -> dict:  # noqa: N803
    """FINDER ``q=author`` (newest first, offset paging) or BATCH_GET ``ids=List(...)``."""
    state, claims = guard(request, "posts")
    if "ids" in request.query_params:
        return batch_get_posts(state, claims, urn_list(request, "ids"))
    if q != "author" or not author:
        raise li.service_error(400, "Query parameter q=author and author are required")
    if sortBy not in ("LAST_MODIFIED", "CREATED"):
        raise li.input_error("sortBy", f"Invalid value {sortBy}: LAST_MODIFIED or CREATED")
    if not 0 < count <= MAX_COUNT or start < 0:
        raise li.input_error("count", f"count must be between 1 and {MAX_COUNT}")
    account = org_account(state, claims, author, "partnerApiPostsExternal.FINDER-author")
    now = state.now()
    items = visible_posts(state, account, now)
    if sortBy == "CREATED":
        items.sort(key=lambda p: p.created_at, reverse=True)
    else:
        items.sort(key=lambda p: li.modified_at(state.world, p, now), reverse=True)
    page = [li.post_json(state.world, p, now) for p in items[start:start + count]]
    base = f"/rest/posts?author={quote(author, safe='')}&count={count}&q=author&sortBy={sortBy}"
    links = []
    if start > 0:
        links.append({"rel": "prev", "type": "application/json",
                      "href": f"{base}&start={max(0, start - count)}"})
    if start + count < len(items):
        links.append({"rel": "next", "type": "application/json",
                      "href": f"{base}&start={start + count}"})
    return {"paging": {"start": start, "count": count, "links": links, "total": len(items)},
            "elements": page}


@router.get("/rest/socialActions/{post_urn}/comments")
@li_route
def comments(post_urn: str, request: Request, count: int = 10, start: int = 0,
             pageToken: str | None = None) -> dict:  # noqa: N803
    """Comments oldest first, paged by ``metadata.nextPageToken`` (no total, no next link)."""
    state, claims = guard(request, "socialActions")
    if not 0 < count <= MAX_COUNT:
        raise li.input_error("count", f"count must be between 1 and {MAX_COUNT}")
    now = state.now()
    post = ids.find_post(state.world, "linkedin", post_urn)
    if post is None or not post.visible_at(now):
        raise li.not_found(f"Not Found: {post_urn}")
    if not reads(state, claims, post.account.platform_account_id):
        raise li.service_error(403, "Not enough permissions to access: socialActions.comments",
                               "ACCESS_DENIED", 100)
    if pageToken:
        try:
            start = int(base64.urlsafe_b64decode(pageToken.encode()).decode().split(":")[1])
        except (ValueError, IndexError) as exc:
            raise li.service_error(400, "Invalid pageToken") from exc
    found = state.world.comments(post, now)
    out: dict = {"paging": {"start": start, "count": count, "links": []},
                 "elements": [li.comment_json(c) for c in found[start:start + count]]}
    if start + count < len(found):
        token = base64.urlsafe_b64encode(f"offset:{start + count}".encode()).decode()
        out["metadata"] = {"nextPageToken": token}
    return out
