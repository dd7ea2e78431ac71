"""Disconnecting accounts (agency admins)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from report_api.deps import RATE_LIMITED, ConnDep, UserDep
from report_api.manage import disconnect_for
from report_api.routes.common import AUTH_ERRORS, FORBIDDEN, NOT_FOUND
from report_api.schemas.common import Id
from report_api.schemas.connections import DisconnectResult

router = APIRouter(prefix="/accounts", tags=["accounts"], dependencies=[RATE_LIMITED])


@router.delete("/{account_id}", response_model=DisconnectResult,
               responses={**AUTH_ERRORS, **FORBIDDEN, **NOT_FOUND})
def disconnect(account_id: Annotated[Id, Path()], user: UserDep, conn: ConnDep,
               purge: Annotated[bool, Query(description="Also delete the account's data "
                                                        "(raw rows and marts) and the "
                                                        "account itself.")] = False
               ) -> DisconnectResult:
    """Disconnect: the tokens are destroyed at once and the account is no longer synced; its
    history stays unless ``purge=true``. Then the platform is asked to revoke the grant
    (unless another connected account uses it); ``platform_revoke`` says how that went."""
    return DisconnectResult(**disconnect_for(conn, user, account_id, purge).__dict__)
