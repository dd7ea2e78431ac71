"""LinkedIn polls that age and comment lists read by need, against the sandbox's ground truth."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import unquote

import pytest

from dlt_sources._shared.ageing import PollSchedule
from dlt_sources.runner import sync
from tests.dlt_sources.shared import connect_world, q, raw_counts

SMALL = {"workspaces_per_agency": 2, "posts_per_account": 30, "competitors_per_workspace": 1,
         "history_days": 6}
COMMENTS_PREFIX = "/rest/socialActions/"


def live_truth(sandbox, at: datetime) -> dict[str, dict]:
    return {p["post_id"]: p for p in sandbox.truth("posts", platform="linkedin",
                                                     at=at.isoformat())
            if p["is_visible"] and not p["is_malformed"]}


def snapshots_at(db_url: str, at: datetime) -> dict[str, dict]:
    return {r["post_id"]: r for r in q(
        db_url, "select * from raw_linkedin.post_metric_snapshots where observed_at = %s", at)}


def comment_requests(sandbox) -> list[str]:
    """Post URNs whose comment list was asked for (one entry per first page)."""
    return [unquote(r["path"])[len(COMMENTS_PREFIX):].removesuffix("/comments")
            for r in sandbox.requests("linkedin") if r["path"].startswith(COMMENTS_PREFIX)
            and r["query"].get("start", "0") in ("0", "")]


def test_schedule_tiers_and_errors():
    schedule = PollSchedule.parse("6h:0s,2d:1h,28d:1d")
    t0 = datetime(2026, 12, 1)
    assert schedule.is_due(t0, None, t0 + timedelta(days=9))
    assert schedule.is_due(t0, t0 + timedelta(hours=5), t0 + timedelta(hours=5, minutes=15))
    assert not schedule.is_due(t0, t0 + timedelta(hours=7), t0 + timedelta(hours=7, minutes=15))
    assert schedule.is_due(t0, t0 + timedelta(hours=7), t0 + timedelta(hours=8))
    assert not schedule.is_due(t0, t0 + timedelta(days=3), t0 + timedelta(days=3, hours=12))
    assert schedule.is_due(t0, t0 + timedelta(days=3), t0 + timedelta(days=4))
    for bad in ("", "6h", "2d:1h,6h:0s", "6x:1h"):
        with pytest.raises(ValueError, match="poll schedule"):
            PollSchedule.parse(bad)


def test_old_posts_are_polled_less_and_a_late_viral_post_is_still_caught(
        sandbox, db_url):
    # every post goes viral three days after it is published
    world = connect_world(sandbox, db_url, {**SMALL, "viral_fraction": 1.0,
                                            "deleted_fraction": 0.0,
                                            "viral_delay_min_hours": 72.0,
                                            "viral_delay_max_hours": 73.0})
    t0 = datetime.fromisoformat(world["now"])
    sync(["linkedin"], url=db_url)
    late = [p for p in live_truth(sandbox, t0).values()
            if datetime.fromisoformat(p["viral_at"]) > t0 + timedelta(hours=2)]
    assert late, "no post of the world takes off after the first sync"
    # an hour later only posts younger than two days are due (hourly tier)
    sandbox.advance(3_600)
    t1 = t0 + timedelta(hours=1)
    sync(["linkedin"], url=db_url)
    young = {i for i, p in live_truth(sandbox, t1).items()
             if t1 - datetime.fromisoformat(p["created_at"]) < timedelta(days=2)}
    assert young and set(snapshots_at(db_url, t1)) == young
    assert len(young) < len(live_truth(sandbox, t1))
    # 15-minute cycles are too slow for a test: 6-hour ones until every late post took off
    end = max(datetime.fromisoformat(p["viral_at"]) for p in late) + timedelta(days=1)
    now = t1
    while now < end:
        sandbox.advance(6 * 3_600)
        now += timedelta(hours=6)
        assert sync(["linkedin"], url=db_url)[0].failures == {}
    for post in late:
        viral_at = datetime.fromisoformat(post["viral_at"])
        snaps = q(db_url, "select * from raw_linkedin.post_metric_snapshots where post_id = %s "
                  "order by observed_at", post["post_id"])
        before = [s for s in snaps if s["observed_at"] <= viral_at]
        after = [s for s in snaps if s["observed_at"] > viral_at]
        assert before and after, post["post_id"]
        # seen within the daily interval (plus one 6-hour cycle) of taking off
        assert after[0]["observed_at"] - viral_at <= timedelta(days=1, hours=6)
        # and the take-off is in the rows the viral rule reads: the truth's likes at that
        # observation, far above the last reading before it
        truth = live_truth(sandbox, after[0]["observed_at"])[post["post_id"]]["metrics"]
        assert after[0]["like_count"] == truth["likes"]
        assert after[0]["like_count"] >= 3 * max(before[-1]["like_count"], 1)


def test_comments_are_read_only_where_the_count_changed(sandbox, db_url):
    world = connect_world(sandbox, db_url, SMALL)
    t0 = datetime.fromisoformat(world["now"])
    sync(["linkedin"], url=db_url)
    before = live_truth(sandbox, t0)
    # the first sync reads every post's comments, once
    assert sorted(comment_requests(sandbox)) == sorted(before)
    sandbox.advance(3 * 3_600)
    sandbox.clear_requests()
    t1 = t0 + timedelta(hours=3)
    sync(["linkedin"], url=db_url)
    after = live_truth(sandbox, t1)
    polled = snapshots_at(db_url, t1)
    changed = {i for i in polled if i not in before
               or after[i]["metrics"]["comments"] != before[i]["metrics"]["comments"]}
    asked = comment_requests(sandbox)
    assert len(asked) == len(set(asked))  # never twice for one post
    assert set(asked) == changed
    assert len(asked) < len(polled), "every polled post's comments were read again"
    # what was read is complete: every comment of those posts visible at t1 is loaded
    loaded = {r["id"] for r in q(db_url, "select id from raw_linkedin.comments")}
    truth = {c["comment_id"] for c in sandbox.truth("comments", platform="linkedin",
                                                    at=t1.isoformat())
             if c["post_id"] in changed}
    assert truth <= loaded
    # a re-run at the same instant adds nothing and asks for no comment list twice
    counts = raw_counts(db_url, "raw_linkedin")
    sandbox.clear_requests()
    sync(["linkedin"], url=db_url)
    assert raw_counts(db_url, "raw_linkedin") == counts
    assert comment_requests(sandbox) == []
