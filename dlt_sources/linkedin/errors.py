"""What LinkedIn's error bodies mean for an account: the several 401 shapes, the quota 429,
sunset API versions, 404s; read by code, never by wording."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from requests import Response

from dlt_sources._shared.errors import (
    AccountSyncError,
    AccountUnavailable,
    NeedsReauth,
    PlatformError,
    RateLimited,
    TokenExpired,
)
from dlt_sources._shared.http import redact, server_time
from dlt_sources.linkedin import settings


class NotFound(PlatformError):
    """HTTP 404: the object (e.g. a post) no longer exists."""


def message(response: Response) -> str:
    """The text of any error body: OAuth error fields, message, input errors, code."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if not isinstance(body, dict):
        return str(body)[:200]
    if body.get("error"):
        # the OAuth token endpoint's shape: {error, error_description}
        return ": ".join(str(p) for p in (body["error"], body.get("error_description")) if p)
    inputs = (body.get("errorDetails") or {}).get("inputErrors") or []
    details = "; ".join(str(i.get("description")) for i in inputs if i.get("description"))
    text = body.get("message") or ""
    code = body.get("code")
    return " ".join(p for p in (f"[{code}]" if code else "", text, details) if p)


def _code(response: Response) -> str:
    """The body's ``code`` (a name like EXPIRED_ACCESS_TOKEN, or a number such as 65600), else
    its ``serviceErrorCode``, as text ('' when neither is there)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    code = body.get("code", body.get("serviceErrorCode"))
    return "" if code is None else str(code)


def _unauthorized(code: str, message: str) -> AccountSyncError:
    """Only an expired token is worth a refresh; a revoked one needs the member to authorise
    the app again, and any other 401 (empty or invalid token) a reconnection."""
    if code == "EXPIRED_ACCESS_TOKEN":
        return TokenExpired(f"LinkedIn access token expired: {message}")
    if code == "REVOKED_ACCESS_TOKEN":
        return NeedsReauth(f"LinkedIn access was revoked by the member ({message}): the "
                           "organization's admin must authorise the app again (reconnect)")
    return NeedsReauth(f"LinkedIn refused the token, reconnect the account: {message}")


def _throttled(code: str, message: str, now: datetime) -> RateLimited:
    """A 429 that outlived the retries. TOO_MANY_REQUESTS (serviceErrorCode 101) is LinkedIn's
    quota answer, and its quotas are daily: nothing passes before the next UTC midnight."""
    if code in ("TOO_MANY_REQUESTS", "101"):
        until = datetime(now.year, now.month, now.day, tzinfo=UTC) + timedelta(days=1)
        return RateLimited(f"LinkedIn rate limit (HTTP 429, retried): {message}; the daily "
                           f"quota resets at {until.isoformat()}", until)
    return RateLimited(f"LinkedIn rate limit (HTTP 429, retried): {message}")


def classify(response: Response, api_version: str) -> AccountSyncError | None:
    """The account-level error a response means (None when it succeeded)."""
    if response.ok:
        return None
    status, text, code = response.status_code, redact(message(response)), _code(response)
    if status == 401:
        return _unauthorized(code, text)
    if status == 426 or code in ("NONEXISTENT_VERSION", "VERSION_MISSING"):
        return PlatformError(
            f"LinkedIn API version {api_version!r} is not active ({text}): set "
            f"{settings.API_VERSION_KEY} (env {settings.API_VERSION_ENV}) to a current "
            "YYYYMM version")
    if status == 429:
        return _throttled(code, text, server_time(response))
    path = redact(response.request.path_url.split("?")[0]) if response.request else ""
    if status == 404:
        return NotFound(f"LinkedIn HTTP 404 on {path}: {text}")
    if status == 403:
        # no retry helps: the connected member lost the admin role (or the scope)
        return AccountUnavailable(
            f"LinkedIn HTTP 403 on {path}: {text}: reconnect the account with a member who "
            "administers the organization (scopes r_organization_social, rw_organization_admin)")
    return PlatformError(f"LinkedIn HTTP {status} on {path}: {text}")
