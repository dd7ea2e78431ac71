"""The agency admins' web console at /console: server-rendered pages (Jinja2), a cookie
session carrying the API's JWT, CSRF tokens on every form, no JavaScript."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from report_api.console import login, pages
from report_api.console.render import to_login
from report_api.session import LoginRequired


async def _login_required(_: Request, __: Exception) -> RedirectResponse:
    return to_login()


def install(app: FastAPI) -> None:
    """Serve the console and its stylesheet on ``app``."""
    for module in (login, pages):
        app.include_router(module.router, prefix="/console", include_in_schema=False)
    app.mount("/console/static", StaticFiles(directory=Path(__file__).parent / "static"),
              name="console-static")
    app.add_exception_handler(LoginRequired, _login_required)
