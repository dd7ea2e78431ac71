"""Dependencies as ``Annotated`` aliases: settings, connection, current user (tenancy scope),
rate limit and cache."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from report_api.cache import ResponseCache
from report_api.config import ApiSettings
from report_api.errors import ApiError
from report_api.queries import auth as auth_queries
from report_api.ratelimit import Decision, RateLimiter
from report_api.security import InvalidToken, decode_token


def api_settings(request: Request) -> ApiSettings:
    """The settings the app was created with (``create_app``), not a fresh read of the env."""
    return request.app.state.settings


SettingsDep = Annotated[ApiSettings, Depends(api_settings)]


def get_conn(request: Request) -> Iterator[Any]:
    """A pooled connection for the request; commits on success, rolls back on error."""
    with request.app.state.db.pool().connection() as conn:
        yield conn


ConnDep = Annotated[Any, Depends(get_conn)]


def get_cache(request: Request) -> ResponseCache:
    return request.app.state.cache


CacheDep = Annotated[ResponseCache, Depends(get_cache)]


@dataclass(frozen=True)
class Scope:
    """Who is asking and which workspaces they may see."""

    user_id: int
    email: str
    role: str
    agency_id: int
    workspace_ids: tuple[int, ...]

    @property
    def is_admin(self) -> bool:
        return self.role == "agency_admin"

    @property
    def ws(self) -> list[int]:
        """The visible workspace ids, as a statement's ``%(ws)s`` parameter."""
        return list(self.workspace_ids)

    def check_workspace(self, workspace_id: int | None) -> None:
        """404 for a workspace the user may not see (same answer as a missing one)."""
        if workspace_id is not None and workspace_id not in self.workspace_ids:
            raise ApiError(404, "not_found", "workspace not found")

    def require_admin(self, action: str) -> None:
        """Client viewers are read-only: 403 for anything that changes shared state."""
        if not self.is_admin:
            raise ApiError(403, "forbidden", f"client viewers cannot {action}: "
                           "ask an agency admin")


_bearer = HTTPBearer(auto_error=False, description="JWT from POST /api/auth/token.")
_UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


def current_user(settings: SettingsDep, conn: ConnDep,
                 credentials: Annotated[HTTPAuthorizationCredentials | None,
                                        Depends(_bearer)]) -> Scope:
    """The token's user and their workspaces (read per request: revocations apply at once)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "unauthorized", "missing bearer token", headers=_UNAUTHORIZED)
    try:
        claims = decode_token(settings, credentials.credentials)
    except InvalidToken as exc:
        raise ApiError(401, "unauthorized", str(exc), headers=_UNAUTHORIZED) from exc
    row = conn.execute(auth_queries.USER_SCOPE, {"user_id": claims.user_id}).fetchone()
    if row is None:
        raise ApiError(401, "unauthorized", "unknown user", headers=_UNAUTHORIZED)
    return Scope(row["user_id"], row["email"], row["role"], row["agency_id"],
                 tuple(row["workspace_ids"] or ()))


UserDep = Annotated[Scope, Depends(current_user)]


def _apply(decision: Decision, response: Response, message: str) -> None:
    headers = {"X-RateLimit-Limit": str(decision.limit),
               "X-RateLimit-Remaining": str(decision.remaining)}
    if not decision.allowed:
        raise ApiError(429, "rate_limited", message,
                       {"limit": decision.limit, "retry_after_seconds": decision.retry_after},
                       headers={**headers, "Retry-After": str(decision.retry_after)})
    response.headers.update(headers)


def rate_limit_user(request: Request, response: Response, user: UserDep) -> None:
    """100 requests per minute per user (moving window; shared through Redis when set)."""
    limiter: RateLimiter = request.app.state.limiter
    decision = limiter.check(limiter.user_limit, f"user:{user.user_id}")
    _apply(decision, response, f"rate limit of {limiter.user_limit} per user exceeded")


def rate_limit_login(request: Request, response: Response) -> None:
    """Token requests per client address (slows password guessing)."""
    limiter: RateLimiter = request.app.state.limiter
    host = request.client.host if request.client else "unknown"
    decision = limiter.check(limiter.login_limit, f"login:{host}")
    _apply(decision, response, f"too many token requests ({limiter.login_limit})")


# every /api router except auth carries `dependencies=[RATE_LIMITED]`
RATE_LIMITED = Depends(rate_limit_user)
