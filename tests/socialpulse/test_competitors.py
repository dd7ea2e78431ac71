"""app.competitors: the migration keeps what the old request table and the seeded competitor
accounts held, and `socialpulse competitors add|list|remove` works from a terminal."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import psycopg
import pytest

from socialpulse.migrate import MIGRATIONS_DIR, migrate
from tests.warehouse import ADMIN_URL, drop_database

CLI = (sys.executable, "-m", "socialpulse_cli")


@pytest.fixture
def before_competitors():
    """A database migrated up to just before app.competitors, with the old kinds of rows."""
    name = f"sp_test_comp_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(url) as conn:
        conn.execute("create schema app; create table app.schema_migrations (version text "
                     "primary key, applied_at timestamptz not null default now())")
        for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
            if path.stem >= "008":
                break
            conn.execute(path.read_text())
            conn.execute("insert into app.schema_migrations values (%s)", (path.stem,))
        conn.execute("insert into app.agencies (name) values ('A')")
        conn.execute("insert into app.workspaces (agency_id, name, slug) values (1, 'W', 'w')")
        conn.execute("insert into app.connected_accounts (workspace_id, platform, "
                     "platform_account_id, handle, is_competitor) values "
                     "(1, 'instagram', '17841', 'Rival.Co', true)")
        conn.execute("insert into app.competitor_tracking_requests (workspace_id, platform, "
                     "handle, status, failure_reason) values (1, 'twitter', 'asked_for', "
                     "'pending', null), (1, 'twitter', 'gone_one', 'failed', 'no such user')")
    yield url
    drop_database(url)


def test_the_migration_keeps_requests_and_seeded_competitors(before_competitors):
    url = before_competitors
    assert "008_competitors" in migrate(url)
    with psycopg.connect(url) as conn:
        rows = conn.execute("select platform, handle, status, reason, account_id is not null "
                            "from app.competitors order by handle").fetchall()
        old = conn.execute("select to_regclass('app.competitor_tracking_requests')").fetchone()
    assert rows == [("twitter", "asked_for", "pending", None, False),
                    ("twitter", "gone_one", "not_found", "no such user", False),
                    ("instagram", "rival.co", "tracked", None, True)]
    assert old == (None,)


def _run(db_url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, "competitors", *args], capture_output=True, text=True,
                          env={**os.environ, "DATABASE_URL": db_url}, timeout=120)


def test_the_cli_adds_lists_and_removes(db_url):
    with psycopg.connect(db_url) as conn:
        conn.execute("insert into app.agencies (name) values ('A')")
        ws = conn.execute("insert into app.workspaces (agency_id, name, slug) values "
                          "(1, 'W', 'w') returning workspace_id").fetchone()[0]
    added = _run(db_url, "add", "--workspace", str(ws), "instagram",
                 "https://www.instagram.com/Rival.Co/")
    assert added.returncode == 0, added.stderr
    assert "instagram:rival.co pending (looked up by the next cycle)" in added.stdout
    wrong = _run(db_url, "add", "--workspace", str(ws), "linkedin", "x.com/rival")
    assert wrong.returncode == 2
    assert "is an X address, not a LinkedIn one" in wrong.stderr
    assert _run(db_url, "add", "--workspace", "999", "twitter", "rival").returncode == 2
    listed = _run(db_url, "list", "--workspace", str(ws))
    assert listed.returncode == 0 and "instagram:rival.co pending" in listed.stdout
    competitor_id = listed.stdout.split()[0].lstrip("#")
    removed = _run(db_url, "remove", "--workspace", str(ws), competitor_id)
    assert removed.returncode == 0 and "no longer tracked" in removed.stdout
    assert _run(db_url, "list", "--workspace", str(ws)).stdout.strip() == "no competitors"
    assert _run(db_url, "remove", "--workspace", str(ws), competitor_id).returncode == 2
