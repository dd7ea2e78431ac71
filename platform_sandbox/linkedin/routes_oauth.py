"""LinkedIn OAuth 2.0 token refresh (``POST /oauth/v2/accessToken``)."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from platform_sandbox.auth import APP_CREDENTIALS, TokenError
from platform_sandbox.linkedin import render as li
from platform_sandbox.state import SandboxState

router = APIRouter(tags=["linkedin"])


@router.post("/oauth/v2/accessToken")
async def access_token(request: Request) -> JSONResponse:
    """``grant_type=refresh_token``; the refresh token keeps its fixed 365-day expiry."""
    state: SandboxState = request.app.state.sandbox
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
    creds = APP_CREDENTIALS["linkedin"]
    if (form.get("client_id"), form.get("client_secret")) != (creds["client_id"],
                                                              creds["client_secret"]):
        return JSONResponse({"error": "invalid_client",
                             "error_description": "Client authentication failed"}, 401)
    if form.get("grant_type") != "refresh_token" or not form.get("refresh_token"):
        return JSONResponse({"error": "invalid_request", "error_description":
                             "A required parameter \"grant_type\" is missing"}, 400)
    now = state.now()
    try:
        issued = state.tokens.refresh(form["refresh_token"], "linkedin", now)
        claims = state.tokens.decode(form["refresh_token"], "linkedin")
    except TokenError:
        return JSONResponse({"error": "invalid_request", "error_description":
                             "The provided authorization grant or refresh token is invalid, "
                             "expired or revoked"}, 400)
    return JSONResponse({
        "access_token": issued["access_token"], "expires_in": issued["expires_in"],
        "refresh_token": issued["refresh_token"],
        "refresh_token_expires_in": max(0, (claims.expires_ms - li.ms(now)) // 1000),
        "scope": "r_organization_social,rw_organization_admin"})
