"""Console login and logout: the API's users and passwords, the same failed-login back-off."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from report_api.console.render import check_csrf, page, redirect, session_user
from report_api.deps import ConnDep, SettingsDep, apply_limit, client_address
from report_api.queries import auth as auth_queries
from report_api.ratelimit import RateLimiter
from report_api.security import issue_token, verify_password
from report_api.session import clear_session, set_session

router = APIRouter()
LOGIN_CSRF_COOKIE = "sp_login_csrf"


def _login_page(request: Request, settings, error: str | None = None, email: str | None = None,
                status: int = 200) -> HTMLResponse:
    # before a session exists the form is protected by a double-submit cookie
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", settings, None, None, status=status, error=error,
                    email=email, login_csrf=token)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict",
                        path="/console")
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, settings: SettingsDep) -> HTMLResponse:
    """The login form."""
    return _login_page(request, settings)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, conn: ConnDep, settings: SettingsDep,
          email: Annotated[str, Form(max_length=320)],
          password: Annotated[str, Form(max_length=1024)],
          csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Check the password (agency admins only) and start a session."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf):
        return _login_page(request, settings, "the form expired: log in again", email, 403)
    limiter: RateLimiter = request.app.state.limiter
    apply_limit(limiter.check(limiter.login_limit, f"login:{client_address(request)}"), None,
                "too many login attempts")
    key = f"login-account:{email.lower()}"
    for item in limiter.account_limits:
        apply_limit(limiter.check(item, key, hit=False), None,
                    "too many failed logins for this account; retry later")
    row = conn.execute(auth_queries.USER_BY_EMAIL, {"email": email}).fetchone()
    if row is None or not verify_password(password, row["password_hash"]):
        for item in limiter.account_limits:
            limiter.check(item, key, hit=True)
        return _login_page(request, settings, "invalid email or password", email, 401)
    if row["role"] != "agency_admin":
        return _login_page(request, settings, "the console is for agency admins; client "
                           "viewers use the dashboards", email, 403)
    token, ttl = issue_token(settings, row["user_id"], row["role"],
                             version=row["token_version"])
    response = redirect("/console")
    set_session(response, settings, token, ttl, settings.console_secure_cookies)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/console")
    return response


@router.post("/logout")
def logout(request: Request, conn: ConnDep, settings: SettingsDep,
           csrf: Annotated[str, Form(max_length=100)] = "") -> RedirectResponse:
    """End the session."""
    _, session = session_user(request, conn, settings)
    check_csrf(settings, session, csrf)
    response = redirect("/console/login", "logged out")
    clear_session(response)
    return response

