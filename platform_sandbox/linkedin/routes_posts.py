"""LinkedIn Community Management API (``/rest``) emulation: posts, share and follower
statistics, network sizes, comments and the OAuth refresh flow, with LinkedIn's headers,
versions and error shapes (see linkedin_render for the payloads)."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from platform_sandbox import ids
from platform_sandbox import linkedin_render as li
from platform_sandbox.auth import APP_CREDENTIALS, TokenClaims, TokenError
from platform_sandbox.linkedin_access import guard, li_route, org_account, urn_list
from platform_sandbox.linkedin_time import buckets, time_intervals
from platform_sandbox.state import SandboxState
from platform_sandbox.world import Account, Post

router = APIRouter(tags=["linkedin"])
MAX_COUNT = 100


def visible_posts(state: SandboxState, account: Account, now: datetime) -> list[Post]:
    world = state.world
    found = (world.post(account, k) for k in range(world.post_count(account, now)))
    return [p for p in found if p.visible_at(now)]


def batch_get_posts(state: SandboxState, claims: TokenClaims, urns: list[str]) -> dict:
    """BATCH_GET ``ids=List(...)``: results, statuses and per-id errors (404 once deleted)."""
    now, results, statuses, errors = state.now(), {}, {}, {}
    for urn in urns:
        post = ids.find_post(state.world, "linkedin", urn)
        if post is not None and post.account.platform_account_id != claims.subject:
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


@router.get("/rest/organizations/{org_id}")
@li_route
def organization(org_id: str, request: Request) -> dict:
    """Organization lookup; ``id`` is a JSON number here."""
    state, claims = guard(request, "organizations")
    account = org_account(state, claims, org_id, "organizations.GET")
    return {"id": int(account.platform_account_id), "$URN": li.org_urn(account),
            "vanityName": account.handle, "localizedName": account.name,
            "name": {"localized": {"en_US": account.name},
                     "preferredLocale": {"country": "US", "language": "en"}},
            "primaryOrganizationType": "NONE", "versionTag": "1"}


@router.get("/rest/organizationalEntityShareStatistics")
@li_route
def share_statistics(request: Request, q: str | None = None,
                     organizationalEntity: str = "") -> dict:  # noqa: N803
    """Lifetime totals, time-bound buckets, or per-post totals (shares= / ugcPosts= lists)."""
    state, claims = guard(request, "shareStatistics")
    if q != "organizationalEntity":
        raise li.service_error(400, "Query parameter q=organizationalEntity is required")
    account = org_account(state, claims, organizationalEntity,
                          "organizationalEntityShareStatistics.FINDER-organizationalEntity")
    now, world = state.now(), state.world
    wanted = {"share": urn_list(request, "shares"), "ugcPost": urn_list(request, "ugcPosts")}
    entity = li.org_urn(account)
    if wanted["share"] or wanted["ugcPost"]:
        elements = []
        for key, urns in wanted.items():
            for urn in urns:
                if not urn.startswith(f"urn:li:{key}:"):
                    raise li.input_error(f"{key}s", f"{urn} is not a {key} URN")
                post = ids.find_post(world, "linkedin", urn)
                if post is None or post.account != account or not post.visible_at(now):
                    continue  # deleted or foreign posts are left out, as the API does
                elements.append({"organizationalEntity": entity, key: urn,
                                 "totalShareStatistics":
                                 li.share_statistics(world.metrics(post, now))})
        return {"paging": {"start": 0, "count": len(elements), "links": []},
                "elements": elements}
    posts_now = visible_posts(state, account, now)
    interval = time_intervals(request.query_params)
    if interval is None:
        totals: dict[str, int] = {}
        for post in posts_now:
            li.add_metrics(totals, world.metrics(post, now))
        return {"paging": {"start": 0, "count": 10, "links": []}, "elements": [
            {"organizationalEntity": entity,
             "totalShareStatistics": li.share_statistics(totals)}]}
    elements = []
    for lo, hi in buckets(*interval, now, min_age=timedelta(days=2)):
        delta: dict[str, int] = {}
        for post in posts_now:
            if post.created_at < hi:
                li.add_metrics(delta, world.metrics(post, hi))
                li.add_metrics(delta, world.metrics(post, lo), -1)
        elements.append({"organizationalEntity": entity,
                         "timeRange": {"start": li.ms(lo), "end": li.ms(hi)},
                         "totalShareStatistics": li.share_statistics(delta)})
    return {"paging": {"start": 0, "count": len(elements), "links": []}, "elements": elements}


@router.get("/rest/organizationalEntityFollowerStatistics")
@li_route
def follower_statistics(request: Request, q: str | None = None,
                        organizationalEntity: str = "") -> dict:  # noqa: N803
    """Lifetime follower demographics, or daily/monthly ``followerGains``."""
    state, claims = guard(request, "followerStatistics")
    if q != "organizationalEntity":
        raise li.service_error(400, "Query parameter q=organizationalEntity is required")
    account = org_account(state, claims, organizationalEntity,
                          "organizationalEntityFollowerStatistics.FINDER-organizationalEntity")
    now = state.now()
    interval = time_intervals(request.query_params)
    if interval is None:
        elements = [li.follower_counts(state.world, account, now)]
    else:
        elements = [{"organizationalEntity": li.org_urn(account),
                     "timeRange": {"start": li.ms(lo), "end": li.ms(hi)},
                     "followerGains": li.follower_gain(state.world, account, lo, hi)}
                    for lo, hi in buckets(*interval, now, min_age=timedelta(0))]
    return {"paging": {"start": 0, "count": len(elements), "links": []}, "elements": elements}


@router.get("/rest/networkSizes/{entity}")
@li_route
def network_size(entity: str, request: Request, edgeType: str = "") -> dict:  # noqa: N803
    """Total followers, and nothing else."""
    state, claims = guard(request, "networkSizes")
    if edgeType != "COMPANY_FOLLOWED_BY_MEMBER":
        raise li.input_error("edgeType", "edgeType must be COMPANY_FOLLOWED_BY_MEMBER")
    account = org_account(state, claims, entity, "networkSizes.GET")
    return {"firstDegreeSize": state.world.followers(account, state.now())}


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
    if post.account.platform_account_id != claims.subject:
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


@router.post("/oauth/v2/accessToken")
async def access_token(request: Request) -> JSONResponse:
    """``grant_type=refresh_token``; the refresh token keeps its fixed 365-day expiry."""
    state: SandboxState = request.app.state.sandbox
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
    creds = APP_CREDENTIALS["linkedin"]
    if (form.get("client_id"), form.get("client_secret")) != (creds["client_id"],
                                                              creds["client_secret"]):
        return JSONResponse({"error": "invalid_client",
                             "error_description": "Client authentication failed"}, 401)
    if form.get("grant_type") != "refresh_token" or not form.get("refresh_token"):
        return JSONResponse({"error": "invalid_request", "error_description":
                             "A required parameter \"grant_type\" is missing"}, 400)
    now = state.now()
    try:
        issued = state.tokens.refresh(form["refresh_token"], "linkedin", now)
        claims = state.tokens.decode(form["refresh_token"], "linkedin")
    except TokenError:
        return JSONResponse({"error": "invalid_request", "error_description":
                             "The provided authorization grant or refresh token is invalid, "
                             "expired or revoked"}, 400)
    return JSONResponse({
        "access_token": issued["access_token"], "expires_in": issued["expires_in"],
        "refresh_token": issued["refresh_token"],
        "refresh_token_expires_in": max(0, (claims.expires_ms - li.ms(now)) // 1000),
        "scope": "r_organization_social,rw_organization_admin"})
