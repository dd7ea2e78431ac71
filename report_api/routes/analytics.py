"""Competitor analysis (competitor_benchmark) and trending hashtags (hashtag_trends).

Both only filter and sum the marts: range figures are sums of the benchmark's day grain, the
competitor gaps are the benchmark's own columns (per period, in ``series``), and hashtag counts
and velocities are hashtag_trends rows of the requested platform (or of all platforms).
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from report_api.deps import RATE_LIMITED, CacheDep, ConnDep, Scope, UserDep
from report_api.errors import ApiError, invalid, not_found
from report_api.queries import accounts as account_queries
from report_api.queries import analytics as queries
from report_api.queries import competitors as competitor_queries
from report_api.routes.common import AUTH_ERRORS, FORBIDDEN, NOT_FOUND
from report_api.routes.competitors import LIMIT_REACHED, limit_error
from report_api.schemas.analytics import (
    METRIC_RENAMES,
    CompetitorAnalysis,
    CompetitorAnalysisRequest,
    TrendingHashtags,
)
from report_api.schemas.common import Id, IsoDate, Platform

router = APIRouter(prefix="/analytics", tags=["analytics"], dependencies=[RATE_LIMITED])

# an account without a benchmark row in the range published nothing in it
_NO_POSTS = {"posts": 0, "public_engagement": 0, "posting_frequency": 0.0}
_OLD_NAMES = {new: old for old, new in METRIC_RENAMES.items()}


def _owned(conn: Any, user: Scope, ids: list[int]) -> list[dict]:
    rows = conn.execute(account_queries.VISIBLE_ACCOUNTS, {"ids": ids, "ws": user.ws}).fetchall()
    if len(rows) != len(ids):
        raise not_found("account")
    if any(r["is_competitor"] for r in rows):
        raise invalid("owned_account_ids", "list owned accounts here; competitors go by handle "
                      "in competitor_handles")
    return rows


def _track(conn: Any, user: Scope, handles: list[str], workspaces: list[int],
           platforms: list[str]) -> list[dict]:
    """Each handle added as a competitor of every workspace x platform compared, the same way
    POST /api/workspaces/{id}/competitors adds one (looked up by the next cycle). A handle that
    no compared network allows is a 422; one only some allow is tracked where it can be."""
    user.require_admin("track competitors")
    queued = []
    for handle in handles:
        added, refusals = [], []
        for ws in workspaces:
            for platform in platforms:
                try:
                    added.append(competitor_queries.add(conn, ws, platform, handle,
                                                        user.user_id))
                except competitor_queries.HandleError as exc:
                    refusals.append(str(exc))
                except competitor_queries.CompetitorLimit as exc:
                    raise limit_error(exc) from exc
        if not added:
            raise invalid("competitor_handles", "; ".join(dict.fromkeys(refusals)))
        queued += added
    return queued


def _figures(row: dict | None, metrics: list[str]) -> dict[str, Any]:
    """The requested metrics of one account; a deprecated name repeats its new name's value.
    A not_available account's figures are all null (unknown, not 0)."""
    row = row or {}
    out = {m: row.get(m, _NO_POSTS.get(m)) for m in metrics}
    return {**out, **{_OLD_NAMES[m]: out[m] for m in metrics if m in _OLD_NAMES}}


def _status(row: dict | None) -> dict[str, Any]:
    row = row or {}
    return {"benchmark_status": row.get("benchmark_status") or "comparable",
            "benchmark_status_reason": row.get("benchmark_status_reason")}


@router.post("/competitor-analysis", response_model=CompetitorAnalysis,
             responses={**AUTH_ERRORS, **NOT_FOUND, **FORBIDDEN, **LIMIT_REACHED,
                        202: {"model": CompetitorAnalysis,
                              "description": "Unknown handles queued for tracking"}})
def competitor_analysis(body: CompetitorAnalysisRequest, user: UserDep, conn: ConnDep,
                        response: Response) -> CompetitorAnalysis:
    """Compare owned accounts with tracked competitors over a date range (no platform calls)."""
    owned = _owned(conn, user, list(dict.fromkeys(body.owned_account_ids)))
    workspaces = sorted({r["workspace_id"] for r in owned})
    platforms = sorted({r["platform"] for r in owned})
    handles = list(dict.fromkeys(h.lstrip("@").lower() for h in body.competitor_handles))
    competitors = conn.execute(queries.COMPETITOR_HANDLES, {
        "ws": workspaces, "platforms": platforms, "handles": handles,
    }).fetchall() if handles else []
    unknown = sorted(set(handles) - {r["handle"].lower() for r in competitors})
    queued = []
    if unknown:
        if not body.track:
            raise ApiError(422, "unknown_competitors",
                           f"not tracked in these workspaces: {', '.join(unknown)}",
                           {"field": "competitor_handles", "unknown_handles": unknown,
                            "platforms": platforms,
                            "hint": 'resend with "track": true to track them: the next '
                                    "cycle looks them up on the platform; follow their status "
                                    "at GET /api/workspaces/{id}/competitors"})
        queued = _track(conn, user, unknown, workspaces, platforms)
        response.status_code = 202

    accounts = {r["account_id"]: r for r in [*owned, *competitors]}
    params = {"start": body.date_range.start, "end": body.date_range.end, "ws": workspaces,
              "ids": sorted(accounts)}
    summary = {r["account_id"]: r for r in
               conn.execute(queries.COMPETITOR_SUMMARY, params).fetchall()}
    series = conn.execute(queries.COMPETITOR_SERIES, {**params, "grain": body.grain}).fetchall()
    metrics = body.metric_names()
    ordered = sorted(accounts.values(), key=lambda r: (r["is_competitor"], r["account_id"]))
    return CompetitorAnalysis.model_validate({
        "date_range": body.date_range, "metrics": metrics, "grain": body.grain,
        "accounts": [{**{k: r[k] for k in ("account_id", "workspace_id", "platform", "handle",
                                            "is_competitor")},
                      **_status(summary.get(r["account_id"])),
                      "metrics": _figures(summary.get(r["account_id"]), metrics)}
                     for r in ordered],
        "series": series, "tracking_queued": queued})


@router.get("/trending-hashtags", response_model=TrendingHashtags,
            responses={**AUTH_ERRORS, **NOT_FOUND})
def trending_hashtags(
    user: UserDep, conn: ConnDep, cache: CacheDep, response: Response,
    window: Annotated[int, Query(ge=1, le=90, description="Days up to as_of")] = 7,
    platform: Annotated[Platform | None, Query(
        description="Only this platform's posts (counts and velocity of its own series); "
        "default: all platforms")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    workspace_id: Annotated[Id | None, Query()] = None,
    as_of: Annotated[IsoDate | None, Query(description="Last day of the window; default: the "
                                        "latest day in the marts")] = None,
) -> dict:
    """Hashtags of the visible workspaces ordered by velocity, then use and engagement."""
    user.check_workspace(workspace_id)
    if as_of is not None and not date(1900, 1, 1) <= as_of <= date(9000, 1, 1):
        raise invalid("as_of", "out of range")
    params = {"ws": user.ws, "workspace_id": workspace_id, "platform": platform,
              "days": window, "limit": limit, "as_of": as_of}

    def compute() -> dict:
        rows = conn.execute(queries.trending(window), params).fetchall()
        day = rows[0]["as_of"] if rows else as_of
        return TrendingHashtags(window_days=window, as_of=day, platform=platform,
                                hashtags=rows).model_dump(mode="json")

    body, state = cache.get_or_compute("trending", user.user_id, params, compute)
    response.headers["X-Cache"] = state
    return body
