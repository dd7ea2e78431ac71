"""LinkedIn organization reads: the organization itself, share and follower statistics
(lifetime or in time-bound buckets) and network sizes."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request

from platform_sandbox import ids
from platform_sandbox.linkedin import render as li
from platform_sandbox.linkedin.access import guard, li_route, org_account, urn_list, visible_posts
from platform_sandbox.linkedin.intervals import buckets, time_intervals

router = APIRouter(tags=["linkedin"])


@router.get("/rest/organizations/{org_id}")
@li_route
def organization(org_id: str, request: Request) -> dict:
    """Organization lookup; ``id`` is a JSON number here."""
    state, claims = guard(request, "organizations")
    account = org_account(state, claims, org_id, "organizations.GET")
    # no $URN here; an organisation whose locale is not the caller's has no localizedName,
    # only name.localized in its locales (every other world organisation is German)
    language, country = ("de", "DE") if account.index % 2 else ("en", "US")
    body = {"id": int(account.platform_account_id), "vanityName": account.handle,
            # the preferred locale is not the first one listed
            "name": {"localized": {"fr_FR": f"{account.name} France",
                                   f"{language}_{country}": account.name},
                     "preferredLocale": {"country": country, "language": language}},
            "primaryOrganizationType": "NONE", "versionTag": "1"}
    if language == "en":
        body["localizedName"] = account.name
    return body


def _finder_target(request: Request, q: str | None, entity: str, scope: str, resource: str):
    """(state, account) of an organizationalEntity finder: the token's scope, the
    finder's q and the organization the member administers, each refused in LinkedIn's words."""
    state, claims = guard(request, scope)
    if q != "organizationalEntity":
        raise li.service_error(400, "Query parameter q=organizationalEntity is required")
    account = org_account(state, claims, entity,
                          f"organizationalEntity{resource}.FINDER-organizationalEntity")
    return state, account


@router.get("/rest/organizationalEntityShareStatistics")
@li_route
def share_statistics(request: Request, q: str | None = None,
                     organizationalEntity: str = "") -> dict:  # noqa: N803
    """Lifetime totals, time-bound buckets, or per-post totals (shares= / ugcPosts= lists)."""
    state, account = _finder_target(request, q, organizationalEntity,
                                   "shareStatistics", "ShareStatistics")
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
    state, account = _finder_target(request, q, organizationalEntity,
                                   "followerStatistics", "FollowerStatistics")
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
