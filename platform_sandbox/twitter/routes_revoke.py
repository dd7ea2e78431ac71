"""X OAuth 2.0 token revocation (RFC 7009): ``POST /2/oauth2/revoke`` with ``token`` and an
optional ``token_type_hint``, the client authenticated as at the token endpoint. Revoking
either token of a grant ends the grant: the user's access and refresh tokens for the app all
answer 401 from then on. A token X does not know is answered ``revoked`` too (RFC 7009 2.2)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from platform_sandbox.auth import TokenError
from platform_sandbox.oauth import end_grant
from platform_sandbox.state import SandboxState
from platform_sandbox.twitter.routes_oauth import client_refusal, token_error

router = APIRouter(tags=["x"])
HINTS = ("access_token", "refresh_token")


@router.post("/2/oauth2/revoke")
async def oauth2_revoke(request: Request) -> JSONResponse:
    """Revoke an access or refresh token (and with it the user's grant to the app)."""
    state: SandboxState = request.app.state.sandbox
    form = {k: str(v) for k, v in (await request.form()).items()}
    if (refused := client_refusal(request, form)) is not None:
        return refused
    if not form.get("token"):
        return token_error("Missing required parameter [token].")
    if form.get("token_type_hint") not in (None, *HINTS):
        return token_error("Value passed for the token_type_hint was invalid.")
    try:
        claims = state.tokens.decode(form["token"], "twitter")
    except TokenError:
        return JSONResponse({"revoked": True})
    if claims.kind != "app":  # the app's own bearer token is not the user's grant
        end_grant(state.oauth, state.tokens, state.people, "twitter", claims.subject)
    return JSONResponse({"revoked": True})
