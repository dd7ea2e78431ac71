"""Helpers shared by the report API tests (imported as ``api_helpers``)."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import psycopg
from psycopg.rows import dict_row

# two agencies x two client workspaces, small enough to build in well under a minute
WORLD = {"agencies": 2, "workspaces_per_agency": 2, "posts_per_account": 12,
         "competitors_per_workspace": 2, "comments_per_post": 1.0, "viral_fraction": 0.1}
JWT_SECRET = secrets.token_urlsafe(48)
PASSWORDS = {"admin_a": "admin-a-password", "viewer_a": "viewer-a-password",
             "admin_b": "admin-b-password"}


@dataclass
class World:
    """The loaded warehouse and who is who in it."""

    url: str
    users: dict[str, int] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    # agency -> its workspace ids; the viewer sees workspace_a1 only
    agency_a: int = 0
    agency_b: int = 0
    workspaces_a: list[int] = field(default_factory=list)
    workspaces_b: list[int] = field(default_factory=list)
    alerts: dict[str, int] = field(default_factory=dict)

    def query(self, sql: str, params: dict | tuple | None = None) -> list[dict]:
        with psycopg.connect(self.url, row_factory=dict_row) as conn:
            return conn.execute(sql, params).fetchall()

    def accounts(self, workspace_id: int, competitor: bool = False) -> list[int]:
        return [r["account_id"] for r in self.query(
            "select account_id from app.connected_accounts where workspace_id = %s "
            "and is_competitor = %s order by account_id", (workspace_id, competitor))]


def settings(**overrides):
    from report_api.config import ApiSettings

    base = {"jwt_secret": JWT_SECRET, "redis_url": None, "rate_limit": "100000/minute",
            "login_rate_limit": "100000/minute", "anon_rate_limit": "100000/minute",
            "login_account_rate_limit": "100000/minute",
            "max_queued_reports_per_user": 100000, "max_queued_reports_per_workspace": 100000}
    return ApiSettings(**{**base, **overrides})


def token(user_id: int, role: str = "agency_admin", now: float | None = None, **overrides) -> str:
    from report_api.security import issue_token

    return issue_token(settings(**overrides), user_id, role, now=now)[0]


def wait_for(predicate, timeout: float = 20.0, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


@contextmanager
def live_server(app, **config) -> Iterator[str]:
    """``app`` served by a real uvicorn on a free loopback port (in a thread); yields the URL.
    Proxy options come from the app's settings, as in ``make api``."""
    import uvicorn

    from platform_sandbox.process import free_port
    from report_api.serve import uvicorn_options

    port = free_port()
    options = {**uvicorn_options(app.state.settings), "log_level": "warning", **config}
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **options))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started, timeout=20, interval=0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
