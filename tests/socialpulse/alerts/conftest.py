"""Alerting fixtures: a real webhook HTTP server and a real SMTP server (aiosmtpd) in threads,
alert settings in the environment, and connected accounts to alert about."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from alert_servers import ALERT_ENV, MailServer, WebhookServer
from psycopg.rows import dict_row

from socialpulse.alerts import AlertSettings, load_alert_settings


@pytest.fixture
def webhook() -> Iterator[WebhookServer]:
    server = WebhookServer()
    yield server
    server.close()


@pytest.fixture
def mailserver() -> Iterator[MailServer]:
    server = MailServer()
    yield server
    server.close()


@pytest.fixture
def alert_env(monkeypatch):
    """Set alert settings in the environment; returns a function taking env overrides."""
    for key in ALERT_ENV:
        monkeypatch.delenv(key, raising=False)

    def configure(**env: object) -> AlertSettings:
        base = {"ALERT_RETRY_BASE_S": "1", "ALERT_RETRY_MAX_S": "2"}
        for key, value in {**base, **{k.upper(): v for k, v in env.items()}}.items():
            monkeypatch.setenv(key, str(value))
        return load_alert_settings()

    return configure


@pytest.fixture
def accounts(db_url: str) -> list[dict]:
    """One agency, one workspace and three owned accounts (no sandbox needed)."""
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        agency = conn.execute("insert into app.agencies (name) values ('A') returning agency_id"
                              ).fetchone()["agency_id"]
        ws = conn.execute("insert into app.workspaces (agency_id, name, slug) values "
                          "(%s, 'Client', 'client') returning workspace_id", (agency,)
                          ).fetchone()["workspace_id"]
        rows = []
        for platform, handle in (("twitter", "brightbean"), ("instagram", "brightbean.ig"),
                                 ("facebook", "brightbeanfb")):
            rows.append(conn.execute(
                "insert into app.connected_accounts (workspace_id, platform, "
                "platform_account_id, handle, access_token_ciphertext) values "
                "(%s, %s, %s, %s, 'x') returning account_id, workspace_id, platform, handle",
                (ws, platform, f"{platform}-1", handle)).fetchone())
        return rows
