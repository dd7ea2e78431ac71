"""Competitor analysis (from competitor_benchmark) and trending hashtags (hashtag_trends)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from report_api import queries
from report_api.deps import RATE_LIMITED, CacheDep, ConnDep, UserDep
from report_api.errors import ApiError, invalid, not_found
from report_api.routes.common import AUTH_ERRORS, FORBIDDEN, NOT_FOUND
from report_api.schemas import (
    CompetitorAnalysis,
    CompetitorAnalysisRequest,
    Id,
    Platform,
    TrendingHashtags,
)

router = APIRouter(prefix="/analytics", tags=["analytics"], dependencies=[RATE_LIMITED])

_METRIC_COLUMNS = ("posts", "engagement", "posting_frequency", "engagement_per_post",
                   "engagement_rate", "share_of_voice")


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _diff(a: float | None, b: float | None) -> float | None:
    return a - b if a is not None and b is not None else None


def _track(conn, user, handles: list[str], workspaces: set[int], platforms: set[str]) -> list:
    user.require_admin("track competitors")
    return [conn.execute(queries.TRACK_COMPETITOR, {
        "workspace_id": ws, "platform": platform, "handle": handle, "user_id": user.user_id,
    }).fetchone() for ws in sorted(workspaces) for platform in sorted(platforms)
        for handle in handles]


@router.post("/competitor-analysis", response_model=CompetitorAnalysis,
             responses={**AUTH_ERRORS, **NOT_FOUND, **FORBIDDEN,
                        202: {"model": CompetitorAnalysis,
                              "description": "Unknown handles queued for tracking"}})
def competitor_analysis(body: CompetitorAnalysisRequest, user: UserDep, conn: ConnDep,
                        response: Response) -> CompetitorAnalysis:
    """Compare owned accounts with tracked competitors over a date range (no platform calls)."""
    ids = list(dict.fromkeys(body.user_accounts))
    owned = conn.execute(queries.VISIBLE_ACCOUNTS,
                         {"ids": ids, "ws": list(user.workspace_ids)}).fetchall()
    if len(owned) != len(ids):
        raise not_found("account")
    if any(r["is_competitor"] for r in owned):
        raise invalid("user_accounts", "list owned accounts here; competitors go by handle in "
                      "competitor_accounts")
    workspaces = {r["workspace_id"] for r in owned}
    platforms = {r["platform"] for r in owned}
    handles = list(dict.fromkeys(h.lstrip("@").lower() for h in body.competitor_accounts))
    competitors = conn.execute(queries.COMPETITOR_HANDLES, {
        "ws": sorted(workspaces), "platforms": sorted(platforms), "handles": handles,
    }).fetchall() if handles else []
    unknown = sorted(set(handles) - {r["handle"].lower() for r in competitors})
    queued = []
    if unknown:
        if not body.track:
            raise ApiError(422, "unknown_competitors",
                           f"not tracked in these workspaces: {', '.join(unknown)}",
                           {"field": "competitor_accounts", "unknown_handles": unknown,
                            "platforms": sorted(platforms),
                            "hint": 'resend with "track": true to track them: they are '
                                    "synced on the next cycle"})
        queued = _track(conn, user, unknown, workspaces, platforms)
        response.status_code = 202

    accounts = {r["account_id"]: r for r in [*owned, *competitors]}
    params = {"start": body.date_range.start, "end": body.date_range.end,
              "ws": queries.as_text(sorted(workspaces)), "platforms": sorted(platforms),
              "ids": queries.as_text(sorted(accounts))}
    summary = {r["account_id"]: r for r in
               conn.execute(queries.COMPETITOR_SUMMARY, params).fetchall()}
    series = conn.execute(queries.COMPETITOR_SERIES, {**params, "grain": body.grain}).fetchall()

    def figures(account_id: int) -> dict[str, float | None]:
        row = summary.get(account_id) or {}
        zero = {"posts": 0, "engagement": 0, "posting_frequency": 0.0}
        return {m: row.get(m, zero.get(m)) for m in body.metrics}

    averages = {}
    for ws in sorted(workspaces):
        for platform in sorted(platforms):
            members = [a for a, r in accounts.items() if r["is_competitor"]
                       and r["workspace_id"] == ws and r["platform"] == platform]
            if members:
                averages[(ws, platform)] = {m: _mean([figures(a)[m] for a in members])
                                            for m in body.metrics}
    out = []
    for account_id, r in sorted(accounts.items(), key=lambda kv: (kv[1]["is_competitor"],
                                                                   kv[0])):
        mine = figures(account_id)
        avg = averages.get((r["workspace_id"], r["platform"]))
        gap = None
        if avg is not None and not r["is_competitor"]:
            gap = {m: _diff(mine[m], avg[m]) for m in body.metrics}
        out.append({"account_id": account_id, "workspace_id": r["workspace_id"],
                    "platform": r["platform"], "handle": r["handle"],
                    "is_competitor": r["is_competitor"], "metrics": mine,
                    "vs_competitor_avg": gap})
    return CompetitorAnalysis.model_validate({
        "date_range": body.date_range, "metrics": list(body.metrics), "grain": body.grain,
        "accounts": out,
        "competitor_average": [{"workspace_id": ws, "platform": p, "metrics": m}
                               for (ws, p), m in averages.items()],
        "series": series, "tracking_queued": queued})


@router.get("/trending-hashtags", response_model=TrendingHashtags,
            responses={**AUTH_ERRORS, **NOT_FOUND})
def trending_hashtags(
    user: UserDep, conn: ConnDep, cache: CacheDep, response: Response,
    window: Annotated[int, Query(ge=1, le=90, description="Days up to as_of")] = 7,
    platform: Platform | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    workspace_id: Annotated[Id | None, Query()] = None,
    as_of: Annotated[date | None, Query(description="Last day of the window; default: the "
                                        "latest day in the marts")] = None,
) -> dict:
    """Hashtags of the visible workspaces ordered by velocity, then use and engagement."""
    user.check_workspace(workspace_id)
    if as_of is not None and not date(1900, 1, 1) <= as_of <= date(9000, 1, 1):
        raise invalid("as_of", "out of range")
    params = {"ws": user.ws_text, "workspace_id": str(workspace_id) if workspace_id else None,
              "platform": platform, "days": window, "limit": limit, "as_of": as_of}

    def compute() -> dict:
        sql = queries.TRENDING_FOR_PLATFORM if platform else queries.TRENDING_FROM_TRENDS
        rows = conn.execute(sql, params).fetchall()
        day = rows[0]["as_of"] if rows else as_of
        return TrendingHashtags(window_days=window, as_of=day, platform=platform,
                                hashtags=rows).model_dump(mode="json")

    body, state = cache.get_or_compute("trending", user.user_id, params, compute)
    response.headers["X-Cache"] = state
    return body
