"""Connecting a workspace's accounts through the platforms' OAuth flows (agency admins)."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse

from report_api import connecting
from report_api.console.callback import connection_redirect
from report_api.deps import ConnDep, SettingsDep
from report_api.routes.common import AUTH_ERRORS, FORBIDDEN, NOT_FOUND
from report_api.schemas.common import Id, Platform
from report_api.schemas.connections import ConnectedAccountOut, ConnectionResult
from report_api.session import CallerDep

router = APIRouter(prefix="/connections", tags=["connections"])
_Long = Annotated[str | None, Query(max_length=2048)]


@router.get("/{platform}/authorize", status_code=307,
            responses={**AUTH_ERRORS, **FORBIDDEN, **NOT_FOUND,
                       307: {"description": "To the platform's consent page"}})
def authorize(platform: Platform, workspace_id: Annotated[Id, Query()], caller: CallerDep,
              conn: ConnDep, settings: SettingsDep) -> RedirectResponse:
    """Start connecting ``platform`` accounts to a workspace: a redirect to the platform's
    consent page with a signed single-use ``state`` (and the PKCE challenge for X). Facebook and
    Instagram both start Facebook Login; the callback connects every granted Page and its
    Instagram business account."""
    url = connecting.begin(conn, settings, caller.scope, platform, workspace_id)
    return RedirectResponse(url, status_code=307)


@router.get("/{platform}/callback", response_model=ConnectionResult,
            responses={**AUTH_ERRORS, **FORBIDDEN,
                       400: {"description": "Invalid, used or expired state, another user's "
                             "flow, a denied consent or a platform refusal (nothing is "
                             "connected)"}})
def callback(platform: Platform, caller: CallerDep, conn: ConnDep, settings: SettingsDep,
             code: _Long = None, state: _Long = None, error: _Long = None,
             error_description: _Long = None):
    """Where the platform sends the person back: exchange the code, connect every granted
    account with its own tokens (a reconnect replaces the tokens and clears needs_reauth).
    A console session is sent back to the workspace's page."""
    query = {"code": code, "state": state, "error": error,
             "error_description": error_description}
    params = {k: v for k, v in query.items() if v is not None}
    if caller.via == "session":
        return connection_redirect(conn, settings, caller.scope, platform, params)
    done = connecting.finish(conn, settings, caller.scope, platform, params)
    return ConnectionResult(workspace_id=done.workspace_id, platform=platform, accounts=[
        ConnectedAccountOut(**a.__dict__) for a in done.accounts], not_added=done.not_added)
