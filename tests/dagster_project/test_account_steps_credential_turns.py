"""Account steps take turns on a credential only when a sync could spend it: X rotates its
refresh tokens, so two steps on one X token wait for each other; Meta's long-lived tokens have
none, so an owned Instagram account and the competitors read with its token sync at once."""

from __future__ import annotations

import threading

import psycopg

from dagster_project.defs.ingestion.partitions import partition_key
from dagster_project.defs.ingestion.steps import _CREDENTIAL_LOCK, sync_account
from tests.dlt_sources.shared import connect_world, q

WORLD = {"workspaces_per_agency": 1, "posts_per_account": 3, "competitors_per_workspace": 1}
HOLD_S = 2.0


def _sync_while_held(url: str, group: str, account: dict, credential_id: int) -> dict:
    """``sync_account`` of ``account`` while the turn of ``credential_id`` is held for HOLD_S
    from another session, as a worker in the middle of a sync holds it."""
    conn = psycopg.connect(url, autocommit=True)
    conn.execute("select pg_advisory_lock(%s, %s)", (_CREDENTIAL_LOCK, credential_id))
    timer = threading.Timer(HOLD_S, conn.close)  # the session's lock goes with it
    timer.start()
    try:
        return sync_account(group, _key(account), url)
    finally:
        timer.join()


def _account(url: str, platform: str, competitor: bool) -> dict:
    return q(url, "select account_id, platform, platform_account_id from app.connected_accounts "
                  "where platform = %s and is_competitor = %s order by account_id limit 1",
             platform, competitor)[0]


def _key(account: dict) -> str:
    return partition_key(account["platform"], account["platform_account_id"])


def test_a_competitor_reads_with_its_owners_meta_token_while_the_owner_syncs(db_url, sandbox):
    connect_world(sandbox, db_url, WORLD)
    owner = _account(db_url, "instagram", False)
    competitor = _account(db_url, "instagram", True)
    result = _sync_while_held(db_url, "meta", competitor, owner["account_id"])
    assert result["outcome"]["ok"], result["outcome"]
    assert result["rows"], result
    state = q(db_url, "select credential_kind, credential_account_id from app.sync_state "
                      "where account_id = %s", competitor["account_id"])[0]
    assert state == {"credential_kind": "borrowed", "credential_account_id": owner["account_id"]}
    assert result["waits"]["credential_wait_s"] < HOLD_S / 2


def test_steps_on_one_x_token_still_take_turns(db_url, sandbox):
    connect_world(sandbox, db_url, WORLD)
    owned = _account(db_url, "twitter", False)
    result = _sync_while_held(db_url, "twitter", owned, owned["account_id"])
    assert result["outcome"]["ok"], result["outcome"]
    assert result["waits"]["credential_wait_s"] >= HOLD_S * 0.9
