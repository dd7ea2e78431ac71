"""Graph's usage headers are read on every answer: calls slow down above the pacing threshold,
and none is made on a budget at 100 % (the app's stops the source, a Page's only that Page)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import requests

from dlt_sources.meta.usage import UsageGovernor, read_usage
from dlt_sources.runner import sync
from tests.dlt_sources.shared import connect_world, q

PLATFORMS = ["instagram", "facebook"]
TWO = {"workspaces_per_agency": 2, "posts_per_account": 4, "competitors_per_workspace": 1}


def owned(w: dict, platform: str) -> list[dict]:
    return [a for a in w["accounts"] if a["platform"] == platform and not a["is_competitor"]]


def spend(sandbox, account: dict, calls: int) -> requests.Response:
    """Use ``calls`` of an account's budget with its own token (another tool on the same
    Page would); returns the last answer."""
    token = account["tokens"]["access_token"]
    response = None
    for _ in range(calls):
        response = requests.get(f"{sandbox.url}/v24.0/{account['platform_account_id']}",
                                params={"fields": "id"}, timeout=30,
                                headers={"Authorization": f"Bearer {token}"})
    assert response is not None
    return response


def calls_by_token(sandbox) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in sandbox.requests("meta"):
        counts[r["token_subject"]] = counts.get(r["token_subject"], 0) + 1
    return counts


def test_usage_headers_rise_with_the_calls_made(sandbox):
    w = sandbox.reset(config=TWO, faults={"meta_hourly_limit": 10}) and sandbox.world()
    page = owned(w, "facebook")[0]
    first = read_usage(spend(sandbox, page, 1))
    fourth = read_usage(spend(sandbox, page, 3))
    assert first["token"] == (10, 0) and fourth["token"] == (40, 0)
    last = spend(sandbox, page, 6)
    assert read_usage(last)["token"][0] == 100 and read_usage(last)["token"][1] > 0
    assert all(h in last.headers for h in ("X-Page-Usage", "X-Business-Use-Case-Usage",
                                           "X-App-Usage"))
    refused = spend(sandbox, page, 1)  # the Page's budget is spent: (#32), this Page only
    assert refused.status_code == 400 and refused.json()["error"]["code"] == 32
    assert "Page request limit reached" in refused.json()["error"]["message"]
    other = spend(sandbox, owned(w, "facebook")[1], 1)
    assert other.status_code == 200 and read_usage(other)["token"][0] == 10


def test_calls_above_the_threshold_are_paced(sandbox):
    w = sandbox.reset(config=TWO, faults={"meta_hourly_limit": 20}) and sandbox.world()
    page = owned(w, "facebook")[0]
    governor = UsageGovernor(pace_at=80, pace_per_minute=300)  # 0.2 s apart
    now = datetime.now(UTC)
    governor.observe(spend(sandbox, page, 10), "page", now)  # 50 %: not paced
    started = time.monotonic()
    for _ in range(3):
        governor.before_call("page")
    assert time.monotonic() - started < 0.1
    governor.observe(spend(sandbox, page, 6), "page", now)  # 80 %
    started = time.monotonic()
    for _ in range(4):
        governor.before_call("page")
    assert time.monotonic() - started >= 0.55  # three waits of 0.2 s


def test_a_spent_page_budget_holds_only_that_page(db_url, sandbox):
    w = connect_world(sandbox, db_url, TWO, {"meta_hourly_limit": 20})
    page, other = owned(w, "facebook")
    spend(sandbox, page, 19)  # 95 %: one call left this hour
    sandbox.clear_requests()
    result = sync(PLATFORMS, url=db_url)[0]
    # the Page's call that read 100 % was its last: no (#32) refusal was provoked
    assert calls_by_token(sandbox)[page["platform_account_id"]] == 1
    assert f"facebook:{page['handle']}" in result.failures
    assert "budget at 100 %" in result.failures[f"facebook:{page['handle']}"]
    # competitors read with that Page's token wait too; nobody else is affected
    assert f"facebook:{other['handle']}" not in result.failures
    assert all(k.startswith("facebook:") for k in result.failures)
    held = q(db_url, "select ss.next_retry_at, ss.is_retryable from app.sync_state ss join "
                     "app.connected_accounts ca using (account_id) "
                     "where ca.platform_account_id = %s", page["platform_account_id"])[0]
    assert held["is_retryable"] and held["next_retry_at"] == datetime(2026, 11, 1, 13, tzinfo=UTC)
    loaded = q(db_url, "select distinct page_id from raw_meta.facebook_posts")
    assert {r["page_id"] for r in loaded} == {other["platform_account_id"]}


def test_a_spent_app_budget_stops_the_source_before_the_app_limit(db_url, sandbox):
    w = connect_world(sandbox, db_url, TWO, {"meta_app_hourly_limit": 5})
    sandbox.clear_requests()
    result = sync(PLATFORMS, url=db_url)[0]
    accounts = [a for a in w["accounts"] if a["platform"] in PLATFORMS]
    # the fifth call read X-App-Usage at 100 %: no sixth call, so no (#4) refusal
    assert sum(calls_by_token(sandbox).values()) == 5
    assert len(result.failures) >= len(accounts) - 2
    assert any("the app's budget at 100 %" in e for e in result.failures.values())
    # the sandbox would have refused the next call with the app-level limit
    assert spend(sandbox, owned(w, "instagram")[0], 1).json()["error"]["code"] == 4


def test_world_knobs_preconversion_media_and_a_throttled_start(db_url, sandbox):
    config = {**TWO, "preconversion_media": 1, "meta_app_throttled_minutes": 30}
    w = connect_world(sandbox, db_url, config)
    first = sync(PLATFORMS, url=db_url)[0]
    assert first.failures and all("#4" in e for e in first.failures.values())
    sandbox.advance(2 * 3600)  # past the throttled half hour and the hour it was held for
    assert not sync(PLATFORMS, url=db_url)[0].failures
    for account in owned(w, "instagram"):
        oldest = min((p for p in sandbox.truth("posts", account_id=account[
            "platform_account_id"]) if not p["is_viral"] and not p["deleted_at"]),
                     key=lambda p: p["created_at"])
        rejects = q(db_url, "select reason from raw_meta.rejects where resource = "
                            "'instagram_media_insights' and record like %s",
                    f"%{oldest['post_id']}%")
        assert rejects and "2108006" in rejects[0]["reason"]


def test_a_throttled_window_later_in_the_world_holds_the_source_until_it_ends(db_url, sandbox):
    """The served world's throttle (``sandbox serve`` defaults): hours after the clock started,
    so the connection and the first syncs run, one sync meets (#4) and the next catches up."""
    config = {**TWO, "meta_app_throttled_after_hours": 48, "meta_app_throttled_minutes": 60}
    connect_world(sandbox, db_url, config)
    assert not sync(PLATFORMS, url=db_url)[0].failures
    sandbox.advance(48 * 3600 + 60)
    held = sync(PLATFORMS, url=db_url)[0]
    assert held.failures and all("#4" in e for e in held.failures.values())
    retry = q(db_url, "select distinct next_retry_at from app.sync_state "
                      "where next_retry_at is not null")
    window_end = datetime(2026, 11, 3, 13, tzinfo=UTC)
    assert retry and all(window_end <= r["next_retry_at"] <= window_end + timedelta(minutes=2)
                         for r in retry), retry
    sandbox.advance(3600)
    assert not sync(PLATFORMS, url=db_url)[0].failures
