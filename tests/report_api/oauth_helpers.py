"""Fixtures and helpers of the connection-flow tests: an agency in a fresh database, the API
pointed at the sandbox's OAuth apps, and a person consenting on the sandbox's pages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import httpx
import psycopg
import pytest
from api_helpers import settings, token
from psycopg.rows import dict_row

from socialpulse.oauth.settings import oauth_settings, sandbox_environment
from socialpulse_cli.consent import give_consent
from tests.conftest import Sandbox

REDIRECT_BASE = "http://127.0.0.1:8000"  # registered with the sandbox's apps by default
SOURCE = {"twitter": "twitter", "facebook": "meta", "instagram": "meta", "linkedin": "linkedin"}
# the sandbox's token prefixes (platform_sandbox.auth.PREFIX): none may leave the database
TOKEN_MARKERS = ("sbxX", "EAAsbx", "AQsbx")


@dataclass
class Agency:
    url: str
    agency_id: int = 0
    workspace_id: int = 0
    other_workspace_id: int = 0
    foreign_workspace_id: int = 0  # another agency's
    users: dict[str, int] = field(default_factory=dict)

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token(self.users[who])}"}

    def query(self, sql: str, params: tuple | dict | None = None) -> list[dict]:
        with psycopg.connect(self.url, row_factory=dict_row) as conn:
            return conn.execute(sql, params).fetchall()


@pytest.fixture
def oauth_sandbox(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[Sandbox]:
    """The sandbox with the API's OAuth settings pointed at its apps."""
    apps = sandbox.http.get("/_sandbox/apps").json()
    for key, value in sandbox_environment(sandbox.url, apps).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("OAUTH_REDIRECT_BASE_URL", REDIRECT_BASE)
    oauth_settings.cache_clear()
    yield sandbox
    oauth_settings.cache_clear()


@pytest.fixture
def agency(db_url: str) -> Agency:
    """Agency A (two workspaces; two admins and a viewer) and agency B (one admin)."""
    from report_api.users import create_user

    a = Agency(db_url)
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        ids = {}
        for name in ("Agency A", "Agency B"):
            ids[name] = conn.execute("insert into app.agencies (name) values (%s) "
                                     "returning agency_id", (name,)).fetchone()["agency_id"]
        ws = [conn.execute("insert into app.workspaces (agency_id, name, slug) values "
                           "(%s, %s, %s) returning workspace_id", (ids[ag], name, slug)
                           ).fetchone()["workspace_id"]
              for ag, name, slug in (("Agency A", "Client one", "client-one"),
                                     ("Agency A", "Client two", "client-two"),
                                     ("Agency B", "Other client", "other-client"))]
        a.agency_id, a.workspace_id, a.other_workspace_id, a.foreign_workspace_id = (
            ids["Agency A"], *ws)
        for key, role, agency_name, spaces in (
                ("admin", "agency_admin", "Agency A", []),
                ("admin2", "agency_admin", "Agency A", []),
                ("viewer", "client_viewer", "Agency A", [a.workspace_id]),
                ("other_admin", "agency_admin", "Agency B", [])):
            a.users[key] = create_user(conn, f"{key}@example.test", f"{key}-password-1",
                                       role, ids[agency_name], spaces).user_id
    return a


@pytest.fixture
def api(agency: Agency) -> Iterator:
    from fastapi.testclient import TestClient

    from report_api.main import create_app

    with TestClient(create_app(settings(), database_url=agency.url)) as client:
        yield client


def people(sandbox: Sandbox) -> list[dict]:
    return sandbox.http.get("/_sandbox/people").json()


def authorize(api, agency: Agency, platform: str, who: str = "admin",
              workspace_id: int | None = None) -> str:
    """The consent URL the API redirects to."""
    r = api.get(f"/api/connections/{platform}/authorize",
                params={"workspace_id": workspace_id or agency.workspace_id},
                headers=agency.headers(who), follow_redirects=False)
    assert r.status_code == 307, r.text
    return r.headers["location"]


def callback_path(back: str) -> str:
    """The API path and query a platform redirected the browser to."""
    parts = urlsplit(back)
    assert f"{parts.scheme}://{parts.netloc}" == REDIRECT_BASE, back
    return f"{parts.path}?{parts.query}"


def consent(api, agency: Agency, platform: str, person: dict, who: str = "admin",
            workspace_id: int | None = None, **kwargs) -> httpx.Response:
    """Start, consent as ``person`` on the sandbox's pages, and hand the callback to the API."""
    back = give_consent(authorize(api, agency, platform, who, workspace_id), person["login"],
                        person["password"], **kwargs)
    return api.get(callback_path(back), headers=agency.headers(who))


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
