"""The sandbox ASGI app: one server for the X, Meta Graph and LinkedIn emulations."""

from __future__ import annotations

import asyncio
import re
from email.utils import format_datetime

from fastapi import FastAPI, Request

from platform_sandbox import control, control_oauth, latency, linkedin, meta, twitter
from platform_sandbox.state import SandboxState

_META_PATH = re.compile(r"^/v\d+\.\d+/")


def platform_of(path: str) -> str | None:
    """Which platform API a path belongs to (None for the private /_sandbox API)."""
    if path.startswith("/2/"):
        return "twitter"
    if _META_PATH.match(path) or path.startswith("/oauth/access_token"):
        return "meta"
    if path.startswith(("/rest/", "/oauth/v2/")):
        return "linkedin"
    return None


def _bearer(request: Request) -> str | None:
    """The token a platform request carries (Authorization header, or Graph's access_token)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() in ("bearer", "oauth") and token.strip():
        return token.strip()
    return request.query_params.get("access_token") or None


def create_app(state: SandboxState) -> FastAPI:
    """Build the app around a sandbox state (``app.state.sandbox``, replaced by /_sandbox/reset)."""
    app = FastAPI(title="socialpulse platform sandbox", docs_url="/_sandbox/docs",
                  openapi_url="/_sandbox/openapi.json")
    app.state.sandbox = state
    # the latency the server was started with outlives world resets (control.reset)
    app.state.server_faults = latency.server_knobs(state.faults)

    @app.middleware("http")
    async def simulated_server(request: Request, call_next):
        sandbox: SandboxState = request.app.state.sandbox
        platform = platform_of(request.url.path)
        delay = 0.0
        if platform:
            sandbox.log(platform, request.method, request.url.path, dict(request.query_params),
                        _bearer(request))
            delay = sandbox.faults.slow_ms / 1000 + latency.delay_s(
                sandbox.world.config.seed, sandbox.faults, request.method, request.url.path,
                request.query_params)
            if delay:
                # asleep without a thread: other requests are served meanwhile
                await asyncio.sleep(delay)
        response = await call_next(request)
        if platform and delay:
            response.headers["X-Sandbox-Delay-Ms"] = f"{delay * 1000:.0f}"  # for tests
        # the Date header carries simulated time: clients take observed_at from it
        if sandbox.faults.date_header == "unparsable":
            response.headers["Date"] = "sometime soon"
        elif sandbox.faults.date_header != "missing":
            response.headers["Date"] = format_datetime(sandbox.now(), usegmt=True)
        return response

    app.include_router(control.router)
    app.include_router(control_oauth.router)
    app.include_router(twitter.router)
    app.include_router(meta.router)
    app.include_router(linkedin.router)
    return app
