"""A competitor Graph refuses for lack of permission cannot be reconnected (only owned accounts
can): its state names the competitor's own fix and it is held for a day, not for ever. Here the
deployment declares Page Public Content Access but Meta never granted the app the feature, so
the competitor Page's /posts answers (#10)."""

from __future__ import annotations

from datetime import timedelta

from dlt_sources.holds import platform_now
from dlt_sources.meta.capabilities import PPCA_ENV
from dlt_sources.meta.refusals import COMPETITOR_HOLD
from dlt_sources.runner import sync
from tests.dlt_sources.shared import connect_world
from tests.dlt_sources.test_meta_refusals import SMALL, state_of


def test_a_competitor_page_refused_for_a_missing_feature_is_held_for_a_day(db_url, sandbox,
                                                                            monkeypatch):
    monkeypatch.setenv(PPCA_ENV, "true")  # declared, but the sandbox app lacks the feature
    w = connect_world(sandbox, db_url, SMALL)
    rival = next(a for a in w["accounts"] if a["platform"] == "facebook" and a["is_competitor"])
    handle = f"facebook:{rival['handle']}"
    first = sync(["facebook"], url=db_url)[0]
    assert "#10" in first.failures[handle], first.failures
    row = state_of(db_url, rival["platform_account_id"])
    assert f"{PPCA_ENV}=false" in row["retry_reason"], row["retry_reason"]
    assert "reconnect the Page" not in row["retry_reason"]
    # a timed hold that lets go by itself, in the platform's time
    assert row["is_retryable"] is True and row["next_retry_at"] is not None
    held_for = row["next_retry_at"] - platform_now(sandbox.url)
    assert timedelta(hours=23) < held_for <= timedelta(days=1, minutes=5), held_for
    second = sync(["facebook"], url=db_url)[0]
    assert "skipped until" in second.failures[handle], second.failures
    # a day later it is tried again by itself (Meta answers the same while nothing changed)
    sandbox.advance(COMPETITOR_HOLD.total_seconds() + 60)
    sandbox.clear_requests()
    third = sync(["facebook"], url=db_url)[0]
    assert "#10" in third.failures[handle], third.failures
    assert [r for r in sandbox.requests("meta")
            if r["path"].endswith(f"{rival['platform_account_id']}/posts")]
