"""Dependencies as ``Annotated`` aliases: settings, token, rate limit, connection, current user
(tenancy scope) and cache.

Order matters: the token is checked and the rate limit counted on the event loop *before* a
database connection is taken, so neither a flood of unauthenticated requests nor a user over
their limit can hold one of the pool's connections. Requests without a valid token rarely get
here: :mod:`report_api.gate` answers them before routing (the routes depending on
``token_claims`` are the ones it guards).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import psycopg
from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from report_api.cache import ResponseCache
from report_api.config import ApiSettings
from report_api.db import Database, Overloaded
from report_api.errors import ApiError
from report_api.queries import auth as auth_queries
from report_api.ratelimit import Decision, RateLimiter
from report_api.scope import Scope
from report_api.security import InvalidToken, TokenClaims, decode_token

__all__ = ["RATE_LIMITED", "CacheDep", "ConnDep", "Scope", "SettingsDep", "UserDep"]


def api_settings(request: Request) -> ApiSettings:
    """The settings the app was created with (``create_app``), not a fresh read of the env."""
    return request.app.state.settings


SettingsDep = Annotated[ApiSettings, Depends(api_settings)]


def overloaded(exc: Overloaded) -> ApiError:
    """503 with Retry-After: the server is busy, the database is not necessarily down."""
    return ApiError(503, "overloaded", str(exc), headers={"Retry-After": "1"})


async def get_conn(request: Request) -> AsyncIterator[Any]:
    """A pooled connection; committed *before* the response is sent (a failed commit is a
    503), rolled back on error. The slot is awaited on the event loop (see report_api.db)."""
    db: Database = request.app.state.db
    try:
        slots = await db.acquire_slot()
    except Overloaded as exc:
        raise overloaded(exc) from exc
    try:
        pool = await run_in_threadpool(db.pool)
        conn = await run_in_threadpool(pool.getconn)
        try:
            yield conn
        except BaseException:
            await run_in_threadpool(conn.rollback)
            raise
        else:
            await _commit(conn)
        finally:
            await run_in_threadpool(pool.putconn, conn)
    finally:
        slots.release()


async def _commit(conn: Any) -> None:
    try:
        await run_in_threadpool(conn.commit)
    except psycopg.Error as exc:
        await run_in_threadpool(conn.rollback)
        raise ApiError(503, "unavailable", "the change could not be saved; nothing was "
                       "changed, retry", headers={"Retry-After": "1"}) from exc


# scope="function": the exit code (the commit) runs before the response is sent
ConnDep = Annotated[Any, Depends(get_conn, scope="function")]


def get_cache(request: Request) -> ResponseCache:
    return request.app.state.cache


CacheDep = Annotated[ResponseCache, Depends(get_cache)]

_bearer = HTTPBearer(auto_error=False, description="JWT from POST /api/auth/token.")
_UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


def client_address(request: Request) -> str:
    """The peer address (X-Forwarded-For only counts from FORWARDED_ALLOW_IPS, in uvicorn)."""
    return request.client.host if request.client else "unknown"


def apply_limit(decision: Decision, response: Response | None, message: str) -> None:
    headers = {"X-RateLimit-Limit": str(decision.limit),
               "X-RateLimit-Remaining": str(decision.remaining)}
    if not decision.allowed:
        raise ApiError(429, "rate_limited", message,
                       {"limit": decision.limit, "retry_after_seconds": decision.retry_after},
                       headers={**headers, "Retry-After": str(decision.retry_after)})
    if response is not None:
        response.headers.update(headers)


async def token_claims(request: Request, settings: SettingsDep,
                       credentials: Annotated[HTTPAuthorizationCredentials | None,
                                              Depends(_bearer)]) -> TokenClaims:
    """The verified token (no database); a failure counts against the client's address."""
    try:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise InvalidToken("missing bearer token")
        return decode_token(settings, credentials.credentials)
    except InvalidToken as exc:
        limiter: RateLimiter = request.app.state.limiter
        decision = await limiter.acheck(limiter.anon_limit, f"anon:{client_address(request)}")
        apply_limit(decision, None, "too many unauthenticated requests")
        raise ApiError(401, "unauthorized", str(exc), headers=_UNAUTHORIZED) from exc


ClaimsDep = Annotated[TokenClaims, Depends(token_claims)]


async def rate_limit_user(request: Request, response: Response, claims: ClaimsDep) -> None:
    """100 requests per minute per user (moving window; shared through Redis when set)."""
    limiter: RateLimiter = request.app.state.limiter
    decision = await limiter.acheck(limiter.user_limit, f"user:{claims.user_id}")
    apply_limit(decision, response, f"rate limit of {limiter.user_limit} per user exceeded")


def current_user(claims: ClaimsDep, conn: ConnDep) -> Scope:
    """The token's user and their workspaces (read per request: revocations apply at once)."""
    return scope_of(conn, claims)


def scope_of(conn: Any, claims: TokenClaims) -> Scope:
    """The user of verified ``claims`` with their workspaces; 401 when unknown or revoked."""
    row = conn.execute(auth_queries.USER_SCOPE, {"user_id": claims.user_id}).fetchone()
    if row is None:
        raise ApiError(401, "unauthorized", "unknown user", headers=_UNAUTHORIZED)
    if row["token_version"] != claims.version:  # the password changed since the token
        raise ApiError(401, "unauthorized", "token revoked", headers=_UNAUTHORIZED)
    return Scope(row["user_id"], row["email"], row["role"], row["agency_id"],
                 tuple(row["workspace_ids"] or ()))


UserDep = Annotated[Scope, Depends(current_user)]


async def rate_limit_login(request: Request, response: Response) -> None:
    """Token requests per client address (slows password guessing)."""
    limiter: RateLimiter = request.app.state.limiter
    decision = await limiter.acheck(limiter.login_limit, f"login:{client_address(request)}")
    apply_limit(decision, response, f"too many token requests ({limiter.login_limit})")


# every /api router except auth carries `dependencies=[RATE_LIMITED]`
RATE_LIMITED = Depends(rate_limit_user)
