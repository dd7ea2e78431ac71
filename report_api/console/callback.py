"""The end of a connection started from the console: back to the workspace's page with what
was connected, or why nothing was."""

from __future__ import annotations

from typing import Any

import jwt
from fastapi.responses import RedirectResponse

from report_api import connecting
from report_api.config import ApiSettings
from report_api.console.render import redirect
from report_api.errors import ApiError
from report_api.scope import Scope
from socialpulse.platforms import display_name


def connection_redirect(conn: Any, settings: ApiSettings, user: Scope, platform: str,
                        query: dict[str, str]) -> RedirectResponse:
    """The callback for a console session: finish the flow, then back to the workspace's page
    with what was connected or why nothing was."""
    back = _workspace_of_state(user, query.get("state"))
    try:
        done = connecting.finish(conn, settings, user, platform, query)
    except ApiError as exc:
        return redirect(back, f"nothing was connected: {exc.message}", "error")
    names = ", ".join(f"{display_name(a.platform)} @{a.handle}"
                      + ("" if a.is_new else " (reconnected)") for a in done.accounts)
    notice = f"connected {names}"
    if done.not_added:
        notice += (f"; not added: {', '.join(done.not_added)} (this was a reconnect of one "
                   "account: use Connect to add the others)")
    return redirect(f"/console/workspaces/{done.workspace_id}", notice)


def _workspace_of_state(user: Scope, state: str | None) -> str:
    """Where to send the person back, read from the state without trusting it (the flow
    itself is checked by connecting.finish)."""
    try:
        ws = int(str(jwt.decode(state or "", options={"verify_signature": False}).get("ws")))
    except (jwt.InvalidTokenError, TypeError, ValueError):
        return "/console"
    return f"/console/workspaces/{ws}" if ws in user.workspace_ids else "/console"
