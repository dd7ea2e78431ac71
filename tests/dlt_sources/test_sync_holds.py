"""Holds survive the cycle: an account the platform told to come back later, or refused for
good, is not called by the next syncs, and its outcome says why."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from dlt_sources.runner import sync
from tests.dlt_sources.shared import connect_world, q

SMALL = {"workspaces_per_agency": 1, "posts_per_account": 6, "competitors_per_workspace": 1}


@pytest.fixture
def world(db_url, sandbox):
    def setup(faults: dict | None = None) -> dict:
        return connect_world(sandbox, db_url, SMALL, faults)
    return setup


def held(db_url: str, platform: str) -> dict[str, dict]:
    return {r["platform_account_id"]: r for r in q(
        db_url, "select ca.platform_account_id, ss.* from app.sync_state ss "
        "join app.connected_accounts ca using (account_id) where ca.platform = %s", platform)}


def test_a_far_x_reset_holds_the_accounts_until_then(world, sandbox, db_url, monkeypatch):
    monkeypatch.setenv("SOURCES__TWITTER__MAX_RATE_LIMIT_WAIT_S", "5")
    w = world(faults={"x_throttle_for_s": 600})
    reset = datetime.fromtimestamp(
        int(datetime.fromisoformat(w["now"]).timestamp()) + 600, UTC)
    first = sync(["twitter"], url=db_url)[0]
    x_ids = {a["platform_account_id"] for a in w["accounts"] if a["platform"] == "twitter"}
    assert len(first.failures) == len(x_ids) and first.skipped == 0
    state = held(db_url, "twitter")
    assert {s["next_retry_at"] for s in state.values()} == {reset}
    assert all(s["retry_reason"] and s["is_retryable"] for s in state.values())
    sandbox.clear_requests()
    lines: list[str] = []
    second = sync(["twitter"], url=db_url, progress=lines.append)[0]
    assert sandbox.requests("twitter") == []  # nobody is called before the reset
    assert second.skipped == len(x_ids)
    assert all(e.startswith(f"skipped until {reset.isoformat()}")
               for e in second.failures.values())
    assert any(f"{len(x_ids)} held back" in line for line in lines)
    assert {s["consecutive_failures"] for s in held(db_url, "twitter").values()} == {1}
    sandbox.advance(601)
    third = sync(["twitter"], url=db_url)[0]
    assert third.failures == {}
    assert all(s["next_retry_at"] is None and s["retry_reason"] is None
               for s in held(db_url, "twitter").values())


def test_a_usage_capped_x_app_is_not_called_until_the_month_ends(world, sandbox, db_url):
    world(faults={"x_usage_capped": True})
    sync(["twitter"], url=db_url)
    month = datetime(2026, 12, 1, tzinfo=UTC)
    assert {s["next_retry_at"] for s in held(db_url, "twitter").values()} == {month}
    sandbox.clear_requests()
    second = sync(["twitter"], url=db_url)[0]
    assert sandbox.requests("twitter") == []
    assert all("usage cap" in e for e in second.failures.values())


def test_a_suspended_user_is_held_until_reconnected(world, sandbox, db_url):
    w = world()
    owned = next(a for a in w["accounts"] if a["platform"] == "twitter"
                 and not a["is_competitor"])
    uid = owned["platform_account_id"]
    sandbox.faults(x_suspended_ids=[uid])
    sync(["twitter"], url=db_url)
    row = held(db_url, "twitter")[uid]
    assert row["is_retryable"] is False and row["next_retry_at"] is None
    assert "suspended" in row["retry_reason"]
    sandbox.clear_requests()
    second = sync(["twitter"], url=db_url)[0]
    assert not [r for r in sandbox.requests("twitter") if uid in r["path"]]
    error = second.failures[f"twitter:{owned['handle']}"]
    assert "reconnected" in error and "suspended" in error
    # X reinstates the user and the agency reconnects the account: it is synced again
    sandbox.faults(x_suspended_ids=[])
    with psycopg.connect(db_url) as conn:
        conn.execute("update app.connected_accounts set updated_at = now() "
                     "where platform_account_id = %s", (uid,))
    assert sync(["twitter"], url=db_url)[0].failures == {}
    assert held(db_url, "twitter")[uid]["retry_reason"] is None


def test_the_linkedin_daily_quota_holds_until_midnight_utc(world, sandbox, db_url):
    world(faults={"linkedin_daily_limit": 3})
    sync(["linkedin"], url=db_url)
    midnight = datetime(2026, 11, 2, tzinfo=UTC)
    assert {s["next_retry_at"] for s in held(db_url, "linkedin").values()} == {midnight}
    sandbox.clear_requests()
    sync(["linkedin"], url=db_url)
    assert sandbox.requests("linkedin") == []
