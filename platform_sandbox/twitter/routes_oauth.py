"""X OAuth 2.0 token refresh (``POST /2/oauth2/token``): each refresh rotates the refresh
token, and the old one dies."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from platform_sandbox.auth import APP_CREDENTIALS, TokenError
from platform_sandbox.state import SandboxState

router = APIRouter(tags=["x"])


def _client_refusal(request: Request, form: dict[str, str]) -> JSONResponse | None:
    """The error for missing or wrong client credentials (Basic header or form client_id)."""
    client = APP_CREDENTIALS["twitter"]
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        try:
            user, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        except ValueError:
            user, secret = "", ""
        if (user, secret) != (client["client_id"], client["client_secret"]):
            return JSONResponse({"error": "unauthorized_client",
                                 "error_description": "Missing valid authorization header"},
                                status_code=401)
    elif form.get("client_id") != client["client_id"]:
        return JSONResponse({"error": "invalid_request",
                             "error_description": "Missing required parameter [client_id]."},
                            status_code=400)
    return None


@router.post("/2/oauth2/token")
async def oauth2_token(request: Request):
    """Refresh grant: a new access token and a rotated refresh token (the old one dies)."""
    state: SandboxState = request.app.state.sandbox
    # parsed by hand: the form body is plain urlencoded and python-multipart is not a dependency
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
    if (refused := _client_refusal(request, form)) is not None:
        return refused
    if form.get("grant_type") != "refresh_token":
        return JSONResponse({"error": "invalid_request",
                             "error_description": "Value passed for the grant_type was invalid."},
                            status_code=400)
    try:
        issued = state.tokens.refresh(str(form.get("refresh_token") or ""), "twitter",
                                      state.now())
    except TokenError:
        return JSONResponse({"error": "invalid_request",
                             "error_description": "Value passed for the token was invalid."},
                            status_code=400)
    return {"token_type": "bearer", "expires_in": issued["expires_in"],
            "access_token": issued["access_token"], "refresh_token": issued["refresh_token"],
            "scope": "tweet.read users.read offline.access"}
