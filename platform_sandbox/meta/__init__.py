"""Meta Graph API emulation (the ``meta`` source): Instagram business accounts and Facebook
pages behind one versioned Graph router."""

from platform_sandbox.meta.routes import router

__all__ = ["router"]
