"""The console's cookie session and who is calling the connection endpoints.

The session cookie holds the same JWT the API issues (signed with JWT_SECRET, HttpOnly,
SameSite=Lax so the platforms' redirects back to the callback carry it). Forms carry a CSRF
token derived from the session token with the same secret: a page of another site cannot read
it, and it dies with the session.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from report_api.config import ApiSettings
from report_api.deps import ConnDep, SettingsDep, apply_limit, client_address, scope_of
from report_api.errors import ApiError
from report_api.ratelimit import RateLimiter
from report_api.scope import Scope
from report_api.security import InvalidToken, TokenClaims, decode_token

SESSION_COOKIE = "sp_session"


class LoginRequired(Exception):
    """No valid console session in a browser: it is sent to the console's login form."""

_bearer = HTTPBearer(auto_error=False, description="JWT from POST /api/auth/token.")


def csrf_token(settings: ApiSettings, session_token: str) -> str:
    """The CSRF token of a session (an HMAC of the session token with the JWT secret)."""
    return hmac.new(settings.signing_key().encode(), b"csrf:" + session_token.encode(),
                    hashlib.sha256).hexdigest()


def csrf_ok(settings: ApiSettings, session_token: str, submitted: str | None) -> bool:
    """True when a form's CSRF token belongs to this session."""
    return bool(submitted) and hmac.compare_digest(csrf_token(settings, session_token),
                                                   submitted or "")


def set_session(response: Response, settings: ApiSettings, token: str, ttl: int,
                secure: bool) -> None:
    """Start a console session (``secure`` when served over HTTPS)."""
    response.set_cookie(SESSION_COOKIE, token, max_age=ttl, httponly=True, samesite="lax",
                        secure=secure, path="/")


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


@dataclass(frozen=True)
class Caller:
    """A verified caller: their scope, and whether they came with a bearer token (an API
    client: JSON answers) or the console's session cookie (a browser: redirects)."""

    scope: Scope
    via: Literal["bearer", "session"]
    session_token: str | None = None


async def _claims(request: Request, settings: SettingsDep,
                  credentials: Annotated[HTTPAuthorizationCredentials | None,
                                         Depends(_bearer)]) -> tuple[TokenClaims, str, str]:
    limiter: RateLimiter = request.app.state.limiter
    if credentials is not None and credentials.scheme.lower() == "bearer":
        raw, via = credentials.credentials, "bearer"
    else:
        raw, via = request.cookies.get(SESSION_COOKIE, ""), "session"
    if not raw and "text/html" in request.headers.get("accept", ""):
        raise LoginRequired()  # a browser back from a platform after its session ended
    try:
        if not raw:
            raise InvalidToken("missing bearer token or console session")
        claims = decode_token(settings, raw)
    except InvalidToken as exc:
        decision = await limiter.acheck(limiter.anon_limit, f"anon:{client_address(request)}")
        apply_limit(decision, None, "too many unauthenticated requests")
        raise ApiError(401, "unauthorized", str(exc),
                       headers={"WWW-Authenticate": "Bearer"}) from exc
    decision = await limiter.acheck(limiter.user_limit, f"user:{claims.user_id}")
    apply_limit(decision, None, f"rate limit of {limiter.user_limit} per user exceeded")
    return claims, via, raw


def caller(claims: Annotated[tuple[TokenClaims, str, str], Depends(_claims)],
           conn: ConnDep) -> Caller:
    """The user of a bearer token or of the console session (checked and rate-limited before
    a database connection is taken, like every API call)."""
    verified, via, raw = claims
    return Caller(scope_of(conn, verified), "bearer" if via == "bearer" else "session",
                  raw if via == "session" else None)


CallerDep = Annotated[Caller, Depends(caller)]
