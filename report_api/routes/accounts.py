"""Disconnecting accounts (agency admins)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from report_api.deps import RATE_LIMITED, ConnDep, UserDep
from report_api.errors import not_found
from report_api.queries import accounts as queries
from report_api.routes.common import AUTH_ERRORS, FORBIDDEN, NOT_FOUND
from report_api.schemas.common import Id
from report_api.scope import Scope
from socialpulse.oauth.connect import disconnect_account

router = APIRouter(prefix="/accounts", tags=["accounts"], dependencies=[RATE_LIMITED])


def disconnect_for(conn, user: Scope, account_id: int, purge: bool) -> None:
    """Disconnect an account of the caller's workspaces (404 for any other)."""
    user.require_admin("disconnect accounts")
    if conn.execute(queries.ACCOUNT_IN_SCOPE, {"account_id": account_id,
                                               "ws": user.ws}).fetchone() is None:
        raise not_found("account")
    disconnect_account(conn, account_id, purge=purge)


@router.delete("/{account_id}", status_code=204,
               responses={**AUTH_ERRORS, **FORBIDDEN, **NOT_FOUND})
def disconnect(account_id: Annotated[Id, Path()], user: UserDep, conn: ConnDep,
               purge: Annotated[bool, Query(description="Also delete the account's data "
                                                        "(raw rows and marts) and the "
                                                        "account itself.")] = False
               ) -> Response:
    """Disconnect: the tokens are destroyed at once and the account is no longer synced; its
    history stays unless ``purge=true``."""
    disconnect_for(conn, user, account_id, purge)
    return Response(status_code=204)
