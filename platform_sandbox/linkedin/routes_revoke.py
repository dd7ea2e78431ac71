"""LinkedIn token revocation: ``POST /oauth/v2/revoke`` (form ``token``, ``client_id``,
``client_secret``) answers 200 with an empty body and ends the member's grant to the app: the
member token (and its refresh token) answers 401 REVOKED_ACCESS_TOKEN on every ``/rest``
endpoint for every organization it covered. A token LinkedIn does not know is a 200 too."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from platform_sandbox.auth import TokenError
from platform_sandbox.linkedin.client_auth import client_form, oauth_error
from platform_sandbox.oauth import end_grant
from platform_sandbox.state import SandboxState

router = APIRouter(tags=["linkedin"])


@router.post("/oauth/v2/revoke")
async def revoke(request: Request) -> Response:
    """Revoke a member's access token (the app's grant ends with it)."""
    state: SandboxState = request.app.state.sandbox
    form, refused = await client_form(request)
    if refused is not None:
        return refused
    if not form.get("token"):
        return oauth_error("invalid_request", "A required parameter \"token\" is missing")
    try:
        claims = state.tokens.decode(form["token"], "linkedin")
    except TokenError:
        return Response(status_code=200)
    end_grant(state.oauth, state.tokens, state.people, "linkedin", claims.subject)
    return Response(status_code=200)
