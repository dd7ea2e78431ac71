"""The console's pages: the agency's client workspaces, one workspace's accounts with their
health (Connect, Reconnect, Disconnect) and its competitors."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from report_api.console.render import check_csrf, page, redirect, session_user
from report_api.deps import ConnDep, SettingsDep
from report_api.manage import accounts_of, create_workspace_for, disconnect_for, list_workspaces_of
from report_api.schemas.common import Id
from report_api.schemas.workspaces import WorkspaceCreate
from socialpulse import competitors
from socialpulse.handles import HandleError
from socialpulse.platforms import PLATFORMS, display_name

router = APIRouter()
Csrf = Annotated[str, Form(max_length=100)]


@router.get("", response_class=HTMLResponse)
def workspaces(request: Request, conn: ConnDep, settings: SettingsDep) -> HTMLResponse:
    """The agency's client workspaces."""
    user, session = session_user(request, conn, settings)
    return page(request, "workspaces.html", settings, user, session,
                workspaces=list_workspaces_of(conn, user))


@router.post("/workspaces")
def create_workspace(request: Request, conn: ConnDep, settings: SettingsDep, csrf: Csrf,
                     name: Annotated[str, Form(min_length=1, max_length=200)]
                     ) -> RedirectResponse:
    """A new client workspace, then its page (to connect its accounts)."""
    user, session = session_user(request, conn, settings)
    check_csrf(settings, session, csrf)
    created = create_workspace_for(conn, user, WorkspaceCreate(name=name))
    return redirect(f"/console/workspaces/{created.workspace_id}",
                    f"created the workspace {created.name}: connect its accounts")


@router.get("/workspaces/{workspace_id}", response_class=HTMLResponse)
def workspace(workspace_id: Annotated[Id, Path()], request: Request, conn: ConnDep,
              settings: SettingsDep) -> HTMLResponse:
    """One workspace: connect buttons, accounts with health, competitors."""
    user, session = session_user(request, conn, settings)
    accounts = accounts_of(conn, user, workspace_id)
    ws = next(w for w in list_workspaces_of(conn, user) if w.workspace_id == workspace_id)
    return page(request, "workspace.html", settings, user, session, workspace=ws,
                accounts=accounts, competitors=competitors.list_competitors(conn, workspace_id))


@router.post("/accounts/{account_id}/disconnect")
def disconnect(account_id: Annotated[Id, Path()], request: Request, conn: ConnDep,
               settings: SettingsDep, csrf: Csrf,
               purge: Annotated[str, Form(max_length=10)] = "") -> RedirectResponse:
    """Disconnect an account (tokens destroyed), optionally deleting its data."""
    user, session = session_user(request, conn, settings)
    check_csrf(settings, session, csrf)
    row = conn.execute("select workspace_id, platform, handle from app.connected_accounts "
                       "where account_id = %s and workspace_id = any(%s::bigint[])",
                       (account_id, user.ws)).fetchone()
    result = disconnect_for(conn, user, account_id, purge == "true")
    assert row is not None  # disconnect_for answered 404 otherwise
    done = "disconnected and deleted the data of" if purge == "true" else "disconnected"
    notice = f"{done} {display_name(row['platform'])} @{row['handle']} (tokens destroyed)"
    if result.platform_revoke != "revoked":
        notice += f"; platform revoke {result.platform_revoke.replace('_', ' ')}: " \
                  f"{result.detail}"
    return redirect(f"/console/workspaces/{row['workspace_id']}", notice,
                    "error" if result.platform_revoke == "failed" else "ok")


@router.post("/workspaces/{workspace_id}/competitors")
def add_competitor(workspace_id: Annotated[Id, Path()], request: Request, conn: ConnDep,
                   settings: SettingsDep, csrf: Csrf,
                   platform: Annotated[str, Form(max_length=20)],
                   handle_or_url: Annotated[str, Form(min_length=1, max_length=300)]
                   ) -> RedirectResponse:
    """Track a competitor by handle or URL (looked up by the next cycle)."""
    user, session = session_user(request, conn, settings)
    check_csrf(settings, session, csrf)
    user.check_workspace(workspace_id)
    back = f"/console/workspaces/{workspace_id}"
    if platform not in PLATFORMS:
        return redirect(back, f"unknown network {platform!r}", "error")
    try:
        added = competitors.add(conn, workspace_id, platform, handle_or_url, user.user_id)
    except (HandleError, competitors.CompetitorLimit) as exc:
        return redirect(back, str(exc), "error")
    return redirect(back, f"tracking {display_name(platform)} @{added['handle']}: "
                          f"{added['status']}")


@router.post("/workspaces/{workspace_id}/competitors/{competitor_id}/remove")
def remove_competitor(workspace_id: Annotated[Id, Path()],
                      competitor_id: Annotated[Id, Path()], request: Request, conn: ConnDep,
                      settings: SettingsDep, csrf: Csrf) -> RedirectResponse:
    """Stop tracking a competitor."""
    user, session = session_user(request, conn, settings)
    check_csrf(settings, session, csrf)
    user.check_workspace(workspace_id)
    removed = competitors.remove(conn, workspace_id, competitor_id)
    return redirect(f"/console/workspaces/{workspace_id}",
                    "stopped tracking the competitor" if removed else "no such competitor",
                    "ok" if removed else "error")
