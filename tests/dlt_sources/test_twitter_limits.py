"""The X source under X's lasting refusals: the app's monthly usage cap, a 429 whose
x-rate-limit-reset is near (waited for) or far (that token stops), suspended and unknown users."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dlt_sources.runner import sync
from tests.dlt_sources.shared import connect_world, q

SMALL = {"workspaces_per_agency": 1, "posts_per_account": 8, "competitors_per_workspace": 2}


@pytest.fixture
def x_world(db_url, sandbox):
    """A small X world connected in app.*, the sandbox's request log cleared."""
    def setup(faults: dict | None = None, **config) -> dict:
        world = connect_world(sandbox, db_url, {**SMALL, **config}, faults)
        sandbox.clear_requests()
        return world
    return setup


@pytest.fixture
def sleeps(monkeypatch, sandbox) -> list[float]:
    """Waits for a rate-limit reset move the sandbox's frozen clock instead of sleeping."""
    waited: list[float] = []

    def sleep(seconds: float) -> None:
        waited.append(seconds)
        sandbox.advance(seconds)
    monkeypatch.setattr("dlt_sources.twitter.limits.sleep", sleep)
    return waited


def x_accounts(world: dict) -> list[dict]:
    return [a for a in world["accounts"] if a["platform"] == "twitter"]


def x_state(db_url: str) -> dict[str, dict]:
    return {r["handle"]: r for r in q(
        db_url, "select ca.handle, ss.* from app.sync_state ss join app.connected_accounts ca "
        "using (account_id) where ca.platform = 'twitter'")}


def test_usage_cap_stops_every_x_call_of_the_app_without_retrying(x_world, sandbox, db_url):
    world = x_world(faults={"x_usage_capped": True})
    results = sync(["twitter"], url=db_url)
    assert len(results[0].failures) == len(x_accounts(world))
    # the first call meets the cap; nothing is retried and no other call is made
    assert len(sandbox.requests("twitter")) == 1
    for error in results[0].failures.values():
        assert "usage cap" in error.lower() and "2026-12-01T00:00:00+00:00" in error
    assert all(s["is_retryable"] and not s["needs_reauth"] for s in x_state(db_url).values())


def test_near_rate_limit_reset_is_waited_for(x_world, sandbox, db_url, sleeps, monkeypatch):
    monkeypatch.setenv("SOURCES__TWITTER__MAX_RATE_LIMIT_WAIT_S", "45")
    x_world(faults={"x_throttle_for_s": 30})
    results = sync(["twitter"], url=db_url)
    assert results[0].failures == {}
    assert any(29 <= s <= 32 for s in sleeps)
    assert q(db_url, "select count(*) as n from raw_twitter.tweets")[0]["n"] > 0


def test_far_rate_limit_reset_stops_that_tokens_calls(x_world, sandbox, db_url, sleeps,
                                                      monkeypatch):
    monkeypatch.setenv("SOURCES__TWITTER__MAX_RATE_LIMIT_WAIT_S", "5")
    world = x_world(faults={"x_throttle_for_s": 600})
    until = datetime.fromisoformat(world["now"]).timestamp() + 600
    results = sync(["twitter"], url=db_url)
    accounts = x_accounts(world)
    assert len(results[0].failures) == len(accounts)
    # one call per token (each owned account's, the app's for the competitors), no retries
    tokens = sum(1 for a in accounts if not a["is_competitor"]) + 1
    assert len(sandbox.requests("twitter")) == tokens
    assert not any(s > 5 for s in sleeps)
    reset = datetime.fromtimestamp(int(until), UTC).isoformat()
    for error in results[0].failures.values():
        assert "rate limit" in error.lower() and f"until {reset}" in error


def test_suspended_and_unknown_users_are_permanent_and_stop_the_account(x_world, sandbox,
                                                                        db_url):
    world = x_world()
    owned = next(a for a in x_accounts(world) if not a["is_competitor"])
    rival = next(a for a in x_accounts(world) if a["is_competitor"])
    sandbox.faults(x_suspended_ids=[owned["platform_account_id"]],
                   x_deleted_ids=[rival["platform_account_id"]])
    results = sync(["twitter"], url=db_url)
    assert set(results[0].failures) == {f"twitter:{a['handle']}" for a in (owned, rival)}
    state = x_state(db_url)
    for acct, words in ((owned, "suspended"), (rival, "Could not find user")):
        row = state[acct["handle"]]
        assert row["is_retryable"] is False and row["needs_reauth"] is False
        assert words in row["last_error"] and "reconnect the account" in row["last_error"]
        # the users resource learnt it: the tweets resource made no call for the account
        paths = {r["path"] for r in sandbox.requests("twitter")}
        assert f"/2/users/{acct['platform_account_id']}/tweets" not in paths
    others = {a["handle"] for a in x_accounts(world)} - {owned["handle"], rival["handle"]}
    assert all(state[h]["last_error"] is None for h in others)


def test_refused_refresh_says_why(x_world, sandbox, db_url):
    world = x_world()
    owned = next(a for a in x_accounts(world) if not a["is_competitor"])
    sandbox.revoke("twitter", owned["platform_account_id"])
    sync(["twitter"], url=db_url)
    row = x_state(db_url)[owned["handle"]]
    assert row["needs_reauth"] is True
    # the token endpoint's {error, error_description} reaches the account's sync state
    assert "invalid_request" in row["last_error"]
    assert "Value passed for the token was invalid." in row["last_error"]
