"""Meta Graph API emulation (the ``meta`` source): Instagram business accounts and Facebook
pages behind one versioned Graph router, and Facebook Login (the dialog, the token exchanges,
/me and /me/accounts) whose routes come first so Graph's catch-all does not swallow them."""

from fastapi import APIRouter

from platform_sandbox.meta import routes, routes_login, routes_me, routes_revoke

router = APIRouter()
for _module in (routes_login, routes_me, routes_revoke, routes):
    router.include_router(_module.router)

__all__ = ["router"]
