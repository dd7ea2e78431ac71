"""X and Facebook re-polls age like LinkedIn's: an hour after a full sync only the posts younger
than two days (the hourly tier) get a new snapshot; a day later every post of the window does."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from dlt_sources.runner import sync
from tests.dlt_sources.shared import connect_world, q, raw_counts

WORLD = {"workspaces_per_agency": 1, "posts_per_account": 30, "competitors_per_workspace": 1,
         "history_days": 6, "deleted_fraction": 0.0}
# platform -> (snapshot table, its post column, raw dataset); Facebook: owned pages only
# (competitor pages get public counts, no posts)
CASES = {"twitter": ("raw_twitter.tweet_metric_snapshots", "tweet_id", "raw_twitter"),
         "facebook": ("raw_meta.facebook_post_metric_snapshots", "post_id", "raw_meta")}


def tracked(sandbox, platform: str, at: datetime) -> dict[str, datetime]:
    """Live posts with snapshots (X retweets get none; Facebook: owned pages), by id."""
    owned = {a["platform_account_id"] for a in sandbox.truth("accounts")
             if a["platform"] == platform and not a["is_competitor"]}
    return {p["post_id"]: datetime.fromisoformat(p["created_at"])
            for p in sandbox.truth("posts", platform=platform, at=at.isoformat())
            if p["is_visible"] and not p["is_malformed"] and not p["is_retweet"]
            and (platform == "twitter" or p["account_id"] in owned)}


@pytest.mark.parametrize("platform", list(CASES))
def test_older_posts_are_re_polled_less_often(platform, sandbox, db_url):
    table, column, dataset = CASES[platform]
    world = connect_world(sandbox, db_url, WORLD)
    t0 = datetime.fromisoformat(world["now"])
    assert sync([platform], url=db_url)[0].failures == {}

    def polled(at: datetime) -> set[str]:
        return {r[column] for r in q(db_url, f"select {column} from {table} "
                                     "where observed_at = %s", at)}

    assert polled(t0) == set(tracked(sandbox, platform, t0))
    sandbox.advance(3_600)
    t1 = t0 + timedelta(hours=1)
    assert sync([platform], url=db_url)[0].failures == {}
    live = tracked(sandbox, platform, t1)
    young = {i for i, created in live.items() if t1 - created < timedelta(days=2)}
    assert young and len(young) < len(live)
    assert polled(t1) == young
    # a re-run at the same instant adds no row
    counts = raw_counts(db_url, dataset)
    sync([platform], url=db_url)
    assert raw_counts(db_url, dataset) == counts
    # a day on, the daily tier is due too: every post of the window is read again
    sandbox.advance(86_400)
    t2 = t1 + timedelta(days=1)
    assert sync([platform], url=db_url)[0].failures == {}
    assert polled(t2) == set(tracked(sandbox, platform, t2))


def test_competitor_instagram_lists_only_its_hot_media_between_full_listings(sandbox, db_url):
    world = connect_world(sandbox, db_url, WORLD)
    t0 = datetime.fromisoformat(world["now"])
    competitors = {a["platform_account_id"] for a in sandbox.truth("accounts")
                   if a["platform"] == "instagram" and a["is_competitor"]}

    def live(at: datetime) -> dict[str, datetime]:
        return {p["post_id"]: datetime.fromisoformat(p["created_at"])
                for p in sandbox.truth("posts", platform="instagram", at=at.isoformat())
                if p["is_visible"] and not p["is_malformed"] and p["account_id"] in competitors}

    def polled(at: datetime) -> set[str]:
        return {r["media_id"] for r in q(
            db_url, "select media_id from raw_meta.instagram_media_metric_snapshots "
            "where observed_at = %s and owner_id = any(%s)", at, list(competitors))}

    def discovery_calls() -> int:
        return sum("business_discovery" in r["query"].get("fields", "")
                   for r in sandbox.requests("meta"))

    assert sync(["instagram"], url=db_url)[0].failures == {}
    assert polled(t0) == set(live(t0))
    full = discovery_calls()
    sandbox.clear_requests()
    sandbox.advance(3_600)
    t1 = t0 + timedelta(hours=1)
    assert sync(["instagram"], url=db_url)[0].failures == {}
    hot = {i for i, created in live(t1).items() if t1 - created < timedelta(days=2)}
    assert hot and polled(t1) <= set(live(t1)) and hot <= polled(t1)
    assert len(polled(t1)) < len(live(t1)) and discovery_calls() < full
    sandbox.advance(86_400)
    t2 = t1 + timedelta(days=1)
    assert sync(["instagram"], url=db_url)[0].failures == {}
    assert polled(t2) == set(live(t2))
