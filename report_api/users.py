"""API users: create them (argon2 hashes) and the two demo users of `make demo`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from report_api.security import hash_password

DEMO_ADMIN_EMAIL = "admin@demo.socialpulse.local"
DEMO_VIEWER_EMAIL = "client@demo.socialpulse.local"
# local defaults only; `make demo` prints them, production sets its own users
DEFAULT_ADMIN_PASSWORD = "demo-admin-password"
DEFAULT_VIEWER_PASSWORD = "demo-client-password"


@dataclass(frozen=True)
class CreatedUser:
    user_id: int
    email: str
    role: str
    password: str | None
    workspace_ids: tuple[int, ...]


def create_user(conn: Any, email: str, password: str, role: str, agency_id: int,
                workspace_ids: list[int] | tuple[int, ...] = ()) -> CreatedUser:
    """Insert or update a user (password re-hashed, earlier tokens revoked); client viewers get
    ``workspace_ids``."""
    if role not in ("agency_admin", "client_viewer"):
        raise ValueError("role must be agency_admin or client_viewer")
    if role == "client_viewer" and not workspace_ids:
        raise ValueError("a client viewer needs at least one workspace")
    found = conn.execute(
        "select count(*) as n from app.workspaces where agency_id = %s "
        "and workspace_id = any(%s::bigint[])", (agency_id, list(workspace_ids))).fetchone()
    if found["n"] != len(set(workspace_ids)):
        raise ValueError("every workspace must belong to the user's agency")
    user_id = conn.execute(
        """
        insert into app.users (agency_id, email, password_hash, role)
        values (%s, lower(%s), %s, %s)
        on conflict (email) do update set agency_id = excluded.agency_id,
            password_hash = excluded.password_hash, role = excluded.role,
            token_version = app.users.token_version + 1
        returning user_id
        """, (agency_id, email, hash_password(password), role)).fetchone()["user_id"]
    conn.execute("delete from app.user_workspaces where user_id = %s", (user_id,))
    for ws in dict.fromkeys(workspace_ids):
        conn.execute("insert into app.user_workspaces (user_id, workspace_id) values (%s, %s)",
                     (user_id, ws))
    return CreatedUser(user_id, email.lower(), role, None, tuple(workspace_ids))


def create_demo_users(conn: Any) -> list[CreatedUser]:
    """An agency admin of the demo agency (the first one) and a client viewer of its first
    workspace. Passwords: ``DEMO_ADMIN_PASSWORD`` / ``DEMO_VIEWER_PASSWORD``, else local
    defaults; the returned objects carry them so the demo can print them."""
    row = conn.execute(
        "select a.agency_id, min(w.workspace_id) as workspace_id from app.agencies a "
        "join app.workspaces w using (agency_id) group by a.agency_id "
        "order by a.agency_id limit 1").fetchone()
    if row is None:
        raise RuntimeError("no agency with a workspace yet: connect the demo agency first")
    admin_pw = os.environ.get("DEMO_ADMIN_PASSWORD") or DEFAULT_ADMIN_PASSWORD
    viewer_pw = os.environ.get("DEMO_VIEWER_PASSWORD") or DEFAULT_VIEWER_PASSWORD
    admin = create_user(conn, DEMO_ADMIN_EMAIL, admin_pw, "agency_admin", row["agency_id"])
    viewer = create_user(conn, DEMO_VIEWER_EMAIL, viewer_pw, "client_viewer", row["agency_id"],
                         [row["workspace_id"]])
    return [CreatedUser(admin.user_id, admin.email, admin.role, admin_pw,
                        admin.workspace_ids),
            CreatedUser(viewer.user_id, viewer.email, viewer.role, viewer_pw,
                        viewer.workspace_ids)]
