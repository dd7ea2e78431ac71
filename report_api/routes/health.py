"""Liveness of the API's dependencies (no authentication)."""

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from report_api.db import Database, Overloaded
from report_api.schemas.health import Health

router = APIRouter(tags=["health"])
# a busy server answers "overloaded" quickly instead of waiting out the request deadline
_SLOT_WAIT_SECONDS = 1.0


def _ping(db: Database) -> None:
    with db.pool().connection(timeout=3) as conn:
        conn.execute("select 1")


async def _database(db: Database) -> Literal["ok", "unreachable", "overloaded"]:
    try:
        slots = await db.acquire_slot(_SLOT_WAIT_SECONDS)
    except Overloaded:
        return "overloaded"
    try:
        await run_in_threadpool(_ping, db)
        return "ok"
    except Exception:  # any failure to reach Postgres is "unreachable" here
        return "unreachable"
    finally:
        slots.release()


@router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
async def healthz(request: Request) -> JSONResponse:
    """Database and Redis reachability; 503 when the database is unreachable or every
    connection is busy (``overloaded``: Postgres answers, this process is saturated)."""
    database = await _database(request.app.state.db)
    ping = await run_in_threadpool(request.app.state.cache.ping)
    redis: Literal["ok", "unreachable", "not_configured"] = (
        "not_configured" if ping is None else ("ok" if ping else "unreachable"))
    status: Literal["ok", "degraded", "overloaded"] = (
        "overloaded" if database == "overloaded"
        else "ok" if database == "ok" and redis != "unreachable" else "degraded")
    body = Health(status=status, database=database, redis=redis)
    return JSONResponse(body.model_dump(), status_code=200 if database == "ok" else 503)
