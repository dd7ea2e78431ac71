"""Revoking Facebook Login: ``DELETE /{version}/{user-id}/permissions`` (or ``/me/permissions``)
with the person's user token or the app token ``app_id|app_secret`` answers ``{"success":
true}`` and ends everything that person granted the app: the user token, every Page token of
the consent and the Pages' Instagram accounts answer 190/458 from then on."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from platform_sandbox.auth import APP_CREDENTIALS, TokenClaims
from platform_sandbox.meta.errors import GraphError, decision_error, error_response
from platform_sandbox.oauth import end_grant
from platform_sandbox.state import SandboxState

router = APIRouter(tags=["meta"])


def _token(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() in ("bearer", "oauth") and token.strip():
        return token.strip()
    return request.query_params.get("access_token", "")


def _no_such_object(user_id: str) -> JSONResponse:
    return error_response(GraphError(
        100, f"Unsupported delete request. Object with ID '{user_id}' does not exist, cannot "
        "be loaded due to missing permissions, or does not support this operation. Please "
        "read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        subcode=33))


@router.delete("/v{version}/{user_id}/permissions")
def revoke_permissions(version: str, user_id: str, request: Request) -> JSONResponse:
    """Deauthorize the app for a person (Graph's "revoke login")."""
    state: SandboxState = request.app.state.sandbox
    app = APP_CREDENTIALS["meta"]
    token = _token(request)
    claims: TokenClaims | None = None
    if token != f"{app['client_id']}|{app['client_secret']}":
        decision = state.gate("facebook", token, "permissions")
        refused = decision_error(state, decision, "facebook", state.now())
        if refused is not None:
            return refused
        claims = decision.claims
        assert claims is not None  # an accepted Decision carries its claims
        if claims.kind != "user":  # a Page token is a Page: it has no permissions edge
            return error_response(GraphError(
                100, "(#100) Tried accessing nonexisting field (permissions) on node type "
                "(Page)"))
    if user_id == "me":
        if claims is None:  # the app token has no "me"
            return error_response(GraphError(
                2500, "An active access token must be used to query information about the "
                "current user."))
        user_id = claims.subject
    if (claims is not None and claims.subject != user_id) or \
            state.people.by_facebook_user(user_id) is None:
        return _no_such_object(user_id)
    end_grant(state.oauth, state.tokens, state.people, "meta", user_id, "deauthorized")
    return JSONResponse({"success": True})
