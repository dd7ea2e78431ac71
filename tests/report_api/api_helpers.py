"""Helpers shared by the report API tests (imported as ``api_helpers``)."""

from __future__ import annotations

import secrets
import time
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
            "login_rate_limit": "100000/minute"}
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
