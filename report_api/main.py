"""The FastAPI application factory (``uvicorn report_api.main:create_app --factory``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute

from report_api import __version__, console, errors
from report_api.breaker import Breaker
from report_api.cache import ResponseCache
from report_api.config import ApiSettings, get_api_settings
from report_api.db import Database
from report_api.gate import AnonymousGate
from report_api.middleware import BodyLimit, SecurityHeaders
from report_api.ratelimit import RateLimiter
from report_api.routes import api_router, health


def _operation_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_app(settings: ApiSettings | None = None, database_url: str | None = None) -> FastAPI:
    """A configured app; fails fast on a missing or placeholder JWT secret."""
    settings = settings or get_api_settings()
    settings.signing_key()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.db.reset_slots()  # bound to this event loop
        yield
        app.state.db.close()
        app.state.cache.close()

    app = FastAPI(title="socialpulse report API", version=__version__, lifespan=lifespan,
                  description="Engagement, competitors, hashtags, reports and alerts from "
                              "the socialpulse marts.",
                  generate_unique_id_function=_operation_id)
    app.state.settings = settings
    app.state.db = Database(database_url, settings)
    # one Redis, one breaker: a hung Redis found by the limiter is skipped by the cache too
    breaker = Breaker()
    app.state.limiter = RateLimiter(settings, breaker)
    app.state.cache = ResponseCache(settings, breaker)
    errors.install(app)
    app.include_router(api_router)
    app.include_router(health.router)
    console.install(app)
    # the last added runs first: the body limit answers 413 before parsing or authentication,
    # then the gate answers requests without a valid token before routing
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AnonymousGate, settings=settings, routes=app.router.routes,
                       limiter=app.state.limiter)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app
