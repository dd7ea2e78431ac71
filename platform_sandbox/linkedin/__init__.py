"""LinkedIn Community Management API (``/rest``) emulation (the ``linkedin`` source): posts,
comments, organization statistics, network sizes, organization roles and 3-legged OAuth, with
LinkedIn's headers, versions and error shapes.

Each routes_* module defines its own APIRouter; ``router`` gathers them for the app.
"""

from fastapi import APIRouter

from platform_sandbox.linkedin import (
    routes_acls,
    routes_lookup,
    routes_oauth,
    routes_organizations,
    routes_posts,
    routes_revoke,
)

router = APIRouter()
for _module in (routes_posts, routes_organizations, routes_lookup, routes_acls, routes_oauth,
                routes_revoke):
    router.include_router(_module.router)

__all__ = ["router"]
