"""Liveness of the API's dependencies (no authentication)."""

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from report_api.schemas.health import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
def healthz(request: Request) -> JSONResponse:
    """Database and Redis reachability; 503 when the database is unreachable."""
    try:
        with request.app.state.db.pool().connection(timeout=3) as conn:
            conn.execute("select 1")
        database: Literal["ok", "unreachable"] = "ok"
    except Exception:  # any failure to reach Postgres is "unreachable" here
        database = "unreachable"
    ping = request.app.state.cache.ping()
    redis: Literal["ok", "unreachable", "not_configured"] = (
        "not_configured" if ping is None else ("ok" if ping else "unreachable"))
    ok = database == "ok" and redis != "unreachable"
    body = Health(status="ok" if ok else "degraded", database=database, redis=redis)
    return JSONResponse(body.model_dump(), status_code=200 if database == "ok" else 503)
