"""Client workspaces: list, create, and their accounts with sync health (agency admins)."""

import re
import unicodedata
from typing import Annotated

from fastapi import APIRouter, Path

from report_api.deps import RATE_LIMITED, ConnDep, UserDep
from report_api.errors import ApiError
from report_api.queries import workspaces as queries
from report_api.routes.common import AUTH_ERRORS, FORBIDDEN, NOT_FOUND
from report_api.schemas.common import Id
from report_api.schemas.workspaces import (
    AccountHealth,
    AccountHealthList,
    Workspace,
    WorkspaceCreate,
    WorkspaceList,
    account_status,
)
from report_api.scope import Scope

router = APIRouter(prefix="/workspaces", tags=["workspaces"], dependencies=[RATE_LIMITED])


def slugify(name: str) -> str:
    """A URL name from a workspace name: ASCII letters, digits and dashes."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:50] or "workspace"


def list_workspaces_of(conn, user: Scope) -> list[Workspace]:
    """The caller's workspaces with their account counts."""
    return [Workspace(**r) for r in conn.execute(queries.LIST_WORKSPACES,
                                                 {"ws": user.ws}).fetchall()]


def create_workspace_for(conn, user: Scope, body: WorkspaceCreate) -> Workspace:
    """A new client workspace of the caller's agency; 409 when the slug asked for is taken."""
    user.require_admin("create workspaces")
    base = body.slug or slugify(body.name)
    for n in range(1, 100):
        slug = base if n == 1 else f"{base}-{n}"
        row = conn.execute(queries.CREATE_WORKSPACE, {"agency_id": user.agency_id,
                                                      "name": body.name.strip(),
                                                      "slug": slug}).fetchone()
        if row is not None:
            return Workspace(**row)
        if body.slug:
            raise ApiError(409, "conflict", f"the slug {slug!r} is taken: choose another")
    raise ApiError(409, "conflict", "no free slug for this name: give one")


def accounts_of(conn, user: Scope, workspace_id: int) -> list[AccountHealth]:
    """Every account of a visible workspace with its sync health."""
    user.check_workspace(workspace_id)
    rows = conn.execute(queries.WORKSPACE_ACCOUNTS, {"workspace_id": workspace_id}).fetchall()
    return [AccountHealth(**r, status=account_status(r)) for r in rows]


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
