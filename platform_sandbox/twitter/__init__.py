"""X API v2 emulation (the ``twitter`` source): users, tweet lookup, OAuth 2.0 refresh, user
timelines and recent search. Shapes follow recorded live responses, quirks included: partial
``errors`` next to ``data``, HTTP 200 with only ``errors`` for unknown users, 401 without
rate-limit headers.

Each routes_* module defines its own APIRouter; ``router`` gathers them for the app.
"""

from fastapi import APIRouter

from platform_sandbox.twitter import (
    routes_oauth,
    routes_search,
    routes_timeline,
    routes_tweets,
    routes_users,
)

router = APIRouter()
for _module in (routes_users, routes_tweets, routes_oauth, routes_timeline, routes_search):
    router.include_router(_module.router)

__all__ = ["router"]
