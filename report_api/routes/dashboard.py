"""The dashboard overview: sums of marts.account_posts_daily, cached per user and parameters."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from report_api.deps import RATE_LIMITED, CacheDep, ConnDep, UserDep
from report_api.errors import invalid
from report_api.queries import dashboard as queries
from report_api.routes.common import AUTH_ERRORS, NOT_FOUND
from report_api.schemas.common import Id, IsoDate, Platform
from report_api.schemas.dashboard import Overview

router = APIRouter(prefix="/dashboard", tags=["dashboard"], dependencies=[RATE_LIMITED])


@router.get("/overview", response_model=Overview, responses={**AUTH_ERRORS, **NOT_FOUND})
def overview(
    user: UserDep, conn: ConnDep, cache: CacheDep, response: Response,
    start_date: Annotated[IsoDate | None, Query(description="Posts published on or after")] = None,
    end_date: Annotated[IsoDate | None, Query(description="Posts published on or before")] = None,
    platform: Platform | None = None,
    workspace_id: Annotated[Id | None, Query()] = None,
    include_competitors: bool = False,
) -> dict:
    """Posts, engagement and engagement rate per connected account, with totals."""
    if start_date and end_date and start_date > end_date:
        raise invalid("start_date", "must be on or before end_date")
    user.check_workspace(workspace_id)
    params = {"ws": user.ws, "workspace_id": workspace_id, "platform": platform,
              "include_competitors": include_competitors, "start": start_date, "end": end_date}

    def compute() -> dict:
        rows = conn.execute(queries.OVERVIEW, params).fetchall()
        total = next((r for r in rows if r["is_total"]), None)
        return Overview.model_validate({
            "total_posts": total["posts_count"] if total else 0,
            "total_engagement": total["total_engagement"] if total else 0,
            "avg_engagement": total["avg_engagement"] if total else None,
            "engagement_rate": total["engagement_rate"] if total else None,
            "start_date": start_date, "end_date": end_date,
            "accounts": [{k: v for k, v in r.items() if k != "is_total"}
                         for r in rows if not r["is_total"]],
        }).model_dump(mode="json")

    body, state = cache.get_or_compute("overview", user.user_id, params, compute)
    response.headers["X-Cache"] = state
    return body
