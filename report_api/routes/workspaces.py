"""Client workspaces: list, create, and their accounts with sync health (agency admins)."""

from typing import Annotated

from fastapi import APIRouter, Path

from report_api.deps import RATE_LIMITED, ConnDep, UserDep
from report_api.manage import accounts_of, create_workspace_for, list_workspaces_of
from report_api.routes.common import AUTH_ERRORS, FORBIDDEN, NOT_FOUND
from report_api.schemas.common import Id
from report_api.schemas.workspaces import (
    AccountHealthList,
    Workspace,
    WorkspaceCreate,
    WorkspaceList,
)

router = APIRouter(prefix="/workspaces", tags=["workspaces"], dependencies=[RATE_LIMITED])


@router.get("", response_model=WorkspaceList, responses={**AUTH_ERRORS, **FORBIDDEN})
def list_workspaces(user: UserDep, conn: ConnDep) -> WorkspaceList:
    """The agency's client workspaces, with how many accounts each has and how many need
    re-authorisation."""
    user.require_admin("list the agency's workspaces")
    return WorkspaceList(data=list_workspaces_of(conn, user))


@router.post("", status_code=201, response_model=Workspace,
             responses={**AUTH_ERRORS, **FORBIDDEN,
                        409: {"description": "The slug asked for is taken"}})
def create_workspace(body: WorkspaceCreate, user: UserDep, conn: ConnDep) -> Workspace:
    """A new client workspace of the caller's agency (then connect its accounts)."""
    return create_workspace_for(conn, user, body)


@router.get("/{workspace_id}/accounts", response_model=AccountHealthList,
            responses={**AUTH_ERRORS, **FORBIDDEN, **NOT_FOUND})
def workspace_accounts(workspace_id: Annotated[Id, Path()], user: UserDep,
                       conn: ConnDep) -> AccountHealthList:
    """Each account of the workspace with its sync health: last success, last error, whether
    it needs re-authorisation (reconnect it) and when it is retried."""
    user.require_admin("see sync health")
    return AccountHealthList(data=accounts_of(conn, user, workspace_id))
