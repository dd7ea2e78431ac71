"""Workspaces and accounts as the API routes and the console change and show them."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from report_api.errors import ApiError, not_found
from report_api.queries import accounts as account_queries
from report_api.queries import workspaces as queries
from report_api.schemas.workspaces import (
    AccountHealth,
    Workspace,
    WorkspaceCreate,
    account_status,
)
from report_api.scope import Scope
from socialpulse.oauth.disconnect import Disconnected, disconnect


def slugify(name: str) -> str:
    """A URL name from a workspace name: ASCII letters, digits and dashes."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:50] or "workspace"


def list_workspaces_of(conn: Any, user: Scope) -> list[Workspace]:
    """The caller's workspaces with their account counts."""
    return [Workspace(**r) for r in conn.execute(queries.LIST_WORKSPACES,
                                                 {"ws": user.ws}).fetchall()]


def create_workspace_for(conn: Any, user: Scope, body: WorkspaceCreate) -> Workspace:
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


def accounts_of(conn: Any, user: Scope, workspace_id: int) -> list[AccountHealth]:
    """Every account of a visible workspace with its sync health."""
    user.check_workspace(workspace_id)
    rows = conn.execute(queries.WORKSPACE_ACCOUNTS, {"workspace_id": workspace_id}).fetchall()
    return [AccountHealth(**r, status=account_status(r)) for r in rows]


def disconnect_for(conn: Any, user: Scope, account_id: int, purge: bool) -> Disconnected:
    """Disconnect an account of the caller's workspaces (404 for any other): tokens
    destroyed, then the platform's revoke, whose outcome is returned."""
    user.require_admin("disconnect accounts")
    if conn.execute(account_queries.ACCOUNT_IN_SCOPE, {"account_id": account_id,
                                               "ws": user.ws}).fetchone() is None:
        raise not_found("account")
    done = disconnect(conn, account_id, purge=purge)
    if done is None:
        raise not_found("account")
    return done
