"""What every console page shares: the templates, the session's user, flash notices."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from report_api.config import ApiSettings
from report_api.deps import scope_of
from report_api.errors import ApiError
from report_api.ratelimit import RateLimiter
from report_api.scope import Scope
from report_api.security import InvalidToken, decode_token
from report_api.session import SESSION_COOKIE, LoginRequired, csrf_ok, csrf_token
from socialpulse.platforms import PLATFORMS, display_name

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")  # autoescaped
TEMPLATES.env.globals["display_name"] = display_name
FLASH_COOKIE = "sp_flash"
# the console's pages load their stylesheet and submit forms to this server, nothing else
CONSOLE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
               "frame-ancestors 'none'; base-uri 'none'")
PLATFORM_CHOICES = [{"value": p, "label": display_name(p)} for p in PLATFORMS]


def session_user(request: Request, conn: Any, settings: ApiSettings) -> tuple[Scope, str]:
    """The console session's agency admin and session token; LoginRequired otherwise."""
    raw = request.cookies.get(SESSION_COOKIE, "")
    try:
        claims = decode_token(settings, raw)
        user = scope_of(conn, claims)
    except (InvalidToken, ApiError):
        raise LoginRequired() from None
    if not user.is_admin:
        raise LoginRequired()
    limiter: RateLimiter = request.app.state.limiter
    decision = limiter.check(limiter.user_limit, f"user:{user.user_id}")
    if not decision.allowed:
        raise ApiError(429, "rate_limited", "too many requests: wait a minute",
                       headers={"Retry-After": str(decision.retry_after)})
    return user, raw


def check_csrf(settings: ApiSettings, session: str, submitted: str | None) -> None:
    """403 for a form that was not served by this session's pages."""
    if not csrf_ok(settings, session, submitted):
        raise ApiError(403, "forbidden", "the form has expired or did not come from the "
                       "console: reload the page and try again")


def page(request: Request, template: str, settings: ApiSettings, user: Scope | None,
         session: str | None, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a console page with the user, the CSRF token and a pending notice."""
    flash = request.cookies.get(FLASH_COOKIE)
    response = TEMPLATES.TemplateResponse(request, template, {
        "user": user, "csrf": csrf_token(settings, session) if session else "",
        "superset_url": settings.superset_url, "platforms": PLATFORM_CHOICES,
        "flash": _flash(flash) if flash else None, **context}, status_code=status)
    response.headers["Content-Security-Policy"] = CONSOLE_CSP
    response.headers["Cache-Control"] = "no-store"
    if flash:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def _flash(value: str) -> dict[str, str]:
    kind, _, text = unquote(value).partition(":")
    return {"kind": "error" if kind == "error" else "ok", "text": text[:500]}


def redirect(url: str, notice: str | None = None, kind: str = "ok") -> RedirectResponse:
    """303 to a console page, with a notice shown once there."""
    response = RedirectResponse(url, status_code=303)
    if notice:
        response.set_cookie(FLASH_COOKIE, quote(f"{kind}:{notice[:500]}"), max_age=120,
                            httponly=True, samesite="lax", path="/")
    return response


def to_login() -> RedirectResponse:
    return RedirectResponse("/console/login", status_code=303)
