"""X API v2 emulation (the ``twitter`` source): users, tweet lookup, OAuth 2.0 (PKCE consent,
code exchange, rotating refresh), user timelines and recent search. Shapes follow recorded live
responses, quirks included: partial ``errors`` next to ``data``, HTTP 200 with only ``errors``
for unknown users, 401 without rate-limit headers.

Each routes_* module defines its own APIRouter; ``router`` gathers them for the app.
"""

from fastapi import APIRouter

from platform_sandbox.twitter import (
    routes_oauth,
    routes_revoke,
    routes_search,
    routes_timeline,
    routes_tweets,
    routes_users,
)

router = APIRouter()
# routes_oauth first: its /2/users/me must win over routes_users' /2/users/{user_id}
for _module in (routes_oauth, routes_revoke, routes_users, routes_tweets, routes_timeline,
                routes_search):
    router.include_router(_module.router)

__all__ = ["router"]
