"""Reconnecting one account (agency admins): the platform's consent page, with a state bound
to that account, so the callback replaces its tokens alone."""

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import RedirectResponse

from report_api import connecting
from report_api.deps import ConnDep, SettingsDep
from report_api.routes.common import AUTH_ERRORS, FORBIDDEN, NOT_FOUND
from report_api.schemas.common import Id
from report_api.session import CallerDep

router = APIRouter(prefix="/accounts", tags=["connections"])


@router.get("/{account_id}/reconnect", status_code=307,
            responses={**AUTH_ERRORS, **FORBIDDEN, **NOT_FOUND,
                       307: {"description": "To the platform's consent page"},
                       409: {"description": "A competitor: it has no tokens of its own"}})
def reconnect(account_id: Annotated[Id, Path()], caller: CallerDep, conn: ConnDep,
              settings: SettingsDep) -> RedirectResponse:
    """Start re-authorising one owned account (after a revocation or an expiry): a redirect to
    its platform's consent page. On the callback only this account's tokens are replaced and
    ``needs_reauth`` cleared; a consent that does not grant it is a 400 and changes nothing;
    other accounts the consent grants are not added (``not_added`` names them)."""
    url = connecting.begin_reconnect(conn, settings, caller.scope, account_id)
    return RedirectResponse(url, status_code=307)
