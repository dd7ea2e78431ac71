"""The competitor lookups against the sandbox over HTTP: a suspended X user is not_available,
a lookup that cannot run yet (no owned account to borrow a token from, the platform failing)
stays pending with the reason and succeeds on a later cycle, and a removed competitor added
back resumes its account."""

from __future__ import annotations

import psycopg
from psycopg.rows import dict_row

from dlt_sources.lookups import resolve_pending
from socialpulse import competitors
from socialpulse.seed import seed_from_world
from tests.dlt_sources.shared import connect_world, q

SMALL = {"workspaces_per_agency": 1, "posts_per_account": 3, "competitors_per_workspace": 1}


def _add(db_url: str, platform: str, handle: str) -> int:
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        ws = conn.execute("select min(workspace_id) as w from app.workspaces").fetchone()["w"]
        return competitors.add(conn, ws, platform, handle)["competitor_id"]


def _competitor(db_url: str, competitor_id: int) -> dict:
    return q(db_url, "select * from app.competitors where competitor_id = %s", competitor_id)[0]


def test_a_suspended_x_user_is_not_available(sandbox, db_url):
    world = connect_world(sandbox, db_url, SMALL)
    other = next(a for a in world["accounts"] if a["platform"] == "twitter"
                 and not a["is_competitor"])
    sandbox.faults(x_suspended_ids=[other["platform_account_id"]])
    cid = _add(db_url, "twitter", other["handle"])
    assert resolve_pending(db_url, ["twitter"]) == {"not_available": 1}
    c = _competitor(db_url, cid)
    assert (c["status"], c["account_id"]) == ("not_available", None)
    assert "X suspended this account" in c["reason"]


def test_a_lookup_that_cannot_run_yet_stays_pending_with_the_reason(sandbox, db_url):
    world = connect_world(sandbox, db_url, SMALL)
    rival = next(a for a in world["accounts"] if a["platform"] == "instagram"
                 and a["is_competitor"])
    with psycopg.connect(db_url) as conn:
        conn.execute("delete from app.competitors")
        conn.execute("delete from app.connected_accounts where platform = 'instagram'")
    cid = _add(db_url, "instagram", rival["handle"])
    assert resolve_pending(db_url, ["instagram"]) == {"pending": 1}
    assert "waiting for an owned Instagram business account" in _competitor(db_url, cid)["reason"]

    # the workspace connects its Instagram account: the lookup can borrow its token
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        seed_from_world(conn, {**world, "accounts": [
            a for a in world["accounts"] if a["platform"] == "instagram"
            and not a["is_competitor"]]})
    sandbox.faults(rate_5xx=1.0)
    assert resolve_pending(db_url, ["instagram"]) == {"pending": 1}
    reason = _competitor(db_url, cid)["reason"]
    assert "lookup failed" in reason and "tried again next cycle" in reason
    assert "access_token=" not in reason or "access_token=***" in reason
    sandbox.faults(rate_5xx=0.0)
    assert resolve_pending(db_url, ["instagram"]) == {"tracked": 1}
    c = _competitor(db_url, cid)
    assert (c["status"], c["reason"]) == ("tracked", None)
    account = q(db_url, "select platform_account_id, is_competitor, is_active from "
                "app.connected_accounts where account_id = %s", c["account_id"])
    assert account == [{"platform_account_id": rival["platform_account_id"],
                        "is_competitor": True, "is_active": True}]


def test_a_removed_competitor_added_back_resumes_its_account(sandbox, db_url):
    world = connect_world(sandbox, db_url, SMALL)
    rival = next(a for a in world["accounts"] if a["platform"] == "twitter" and a["is_competitor"])
    row = q(db_url, "select c.competitor_id, c.workspace_id, c.account_id from app.competitors "
            "c join app.connected_accounts ca using (account_id) "
            "where ca.platform_account_id = %s", rival["platform_account_id"])[0]
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        assert competitors.remove(conn, row["workspace_id"], row["competitor_id"])
    assert q(db_url, "select is_active from app.connected_accounts where account_id = %s",
             row["account_id"]) == [{"is_active": False}]
    cid = _add(db_url, "twitter", f"@{rival['handle']}")
    assert resolve_pending(db_url, ["twitter"]) == {"tracked": 1}
    assert _competitor(db_url, cid)["account_id"] == row["account_id"]
    assert q(db_url, "select is_active from app.connected_accounts where account_id = %s",
             row["account_id"]) == [{"is_active": True}]


def test_a_throttled_x_lookup_waits_for_the_next_cycle_not_the_window(sandbox, db_url):
    import time

    world = connect_world(sandbox, db_url, SMALL)
    rival = next(a for a in world["accounts"] if a["platform"] == "twitter" and a["is_competitor"])
    with psycopg.connect(db_url) as conn:
        conn.execute("delete from app.competitors")
    cid = _add(db_url, "twitter", rival["handle"])
    sandbox.faults(x_throttle_for_s=600)
    started = time.monotonic()
    assert resolve_pending(db_url, ["twitter"]) == {"pending": 1}
    assert time.monotonic() - started < 30  # not the 600 s window
    assert "tried again next cycle" in _competitor(db_url, cid)["reason"]
    sandbox.advance(601)
    assert resolve_pending(db_url, ["twitter"]) == {"tracked": 1}


def test_a_competitor_removed_while_it_is_looked_up_connects_nothing(sandbox, db_url):
    from dlt_sources.lookups import _store
    from dlt_sources.lookups.results import Found

    connect_world(sandbox, db_url, SMALL)
    cid = _add(db_url, "twitter", "@late_rival")
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        [pending] = competitors.pending(conn, ["twitter"])
        ws = pending.workspace_id
        assert competitors.remove(conn, ws, cid)
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        assert _store(conn, pending, Found("424242", "late_rival", "Late")) == "removed"
    assert q(db_url, "select 1 from app.connected_accounts where platform_account_id = "
             "'424242'") == []
