"""The dbt marts against the sandbox's ground truth, after four real syncs of a viral world.

Every expected figure is recomputed here from the sandbox truth endpoints (posts, metrics and
followers at a given simulated time), not read back from the warehouse; only observation times
(when a sync saw a post) come from the marts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from socialpulse.transform import dbt_env, run_dbt

pytestmark = pytest.mark.slow
MARTS = {"accounts", "posts", "comments", "post_metrics_daily", "account_metrics_daily",
         "competitor_benchmark", "hashtag_trends", "sentiment_daily", "viral_candidates",
         "best_time_to_post"}


def _ts(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _truth_posts(wh, at) -> dict[str, dict]:
    at = _ts(at).astimezone(UTC).isoformat()
    return {f"{p['platform']}:{p['post_id']}": p for p in wh.sandbox.truth("posts", at=at)}


def _truth_followers(wh, at) -> dict[tuple[str, str], int]:
    at = _ts(at).astimezone(UTC).isoformat()
    return {(a["platform"], a["platform_account_id"]): a["followers"]
            for a in wh.sandbox.truth("accounts", at=at)}


def _engagement(platform: str, truth: dict, is_competitor: bool, has_saves: bool) -> int:
    """The documented canonical engagement, from the truth values the API reported."""
    m, insights = truth["metrics"], truth["reported_insights"] or {}
    if platform == "twitter":
        # old-style X responses omit bookmark_count: then there are no saves to count
        return (m["likes"] + m["comments"] + m["shares"] + m["quotes"]
                + (m["bookmarks"] if has_saves else 0))
    if platform == "instagram":
        if is_competitor:  # business_discovery: likes and comments only
            return m["likes"] + m["comments"]
        return m["likes"] + m["comments"] + insights.get("shares", 0) + insights.get("saves", 0)
    return m["likes"] + m["comments"] + m["shares"]


def _public_engagement(platform: str, truth: dict, has_saves: bool) -> int:
    if platform == "instagram":
        return truth["metrics"]["likes"] + truth["metrics"]["comments"]
    return _engagement(platform, truth, False, has_saves)


def test_dbt_env_parses_the_database_url():
    env = dbt_env("postgresql://ana:p%40ss@db.example:6543/warehouse?sslmode=require")
    assert env["SOCIALPULSE_DB_HOST"] == "db.example"
    assert env["SOCIALPULSE_DB_PORT"] == "6543"
    assert env["SOCIALPULSE_DB_USER"] == "ana"
    assert env["SOCIALPULSE_DB_PASSWORD"] == "p@ss"
    assert env["SOCIALPULSE_DB_NAME"] == "warehouse"
    assert env["SOCIALPULSE_DB_SSLMODE"] == "require"
    assert env["DBT_PROFILES_DIR"].endswith("dbt_project")


def test_build_passes_every_model_and_test(loaded):
    for build in loaded.builds:
        assert build.success
        statuses = {str(r.status).lower() for r in build.result.results}
        assert statuses <= {"success", "pass", "no-op"}, statuses  # exposures are no-ops
    built = {r.node.name for r in loaded.builds[-1].result.results
             if r.node.resource_type == "model"}
    assert built >= MARTS
    kinds = {r.node.resource_type for r in loaded.builds[-1].result.results}
    assert kinds >= {"model", "test", "unit_test"}
    rows = loaded.query("select platform, count(*) as n from marts.posts group by 1")
    assert {r["platform"] for r in rows} == {"twitter", "instagram", "facebook", "linkedin"}


def test_engagement_rates_equal_truth(loaded):
    posts = loaded.query("select * from marts.posts where metrics_observed_at is not null")
    assert len(posts) > 100
    truth_at = {t: _truth_posts(loaded, t) for t in {p["metrics_observed_at"] for p in posts}}
    syncs = sorted(_ts(t) for t in loaded.sync_times)
    followers_at = {t: _truth_followers(loaded, t) for t in syncs}
    checked = defaultdict(int)
    for post in posts:
        truth = truth_at[post["metrics_observed_at"]][post["post_key"]]
        engagement = _engagement(post["platform"], truth, post["is_competitor"],
                                 post["saves"] is not None)
        assert post["engagement"] == engagement, post["post_key"]
        # followers at post time: the last sync at or before posting, else the first sync
        before = [t for t in syncs if t <= post["created_at"]]
        snapshot_at = before[-1] if before else syncs[0]
        followers = followers_at[snapshot_at][(post["platform"], post["platform_account_id"])]
        assert post["followers_at_post"] == followers
        assert post["engagement_rate_by_followers"] == pytest.approx(engagement / followers)
        impressions = truth["metrics"]["impressions"]
        if post["platform"] == "twitter" and post["impressions"] is None:
            # old-style X responses carry no impression_count
            assert post["engagement_rate_by_impressions"] is None
        elif post["platform"] in ("twitter", "linkedin"):
            assert post["impressions"] == impressions
            assert post["engagement_rate_by_impressions"] == pytest.approx(
                engagement / impressions)
        else:  # Meta removed impressions: no rate by impressions
            assert post["engagement_rate_by_impressions"] is None
        if post["platform"] == "twitter":
            assert post["engagement_rate_by_reach"] is None
        checked[post["platform"]] += 1
    assert set(checked) == {"twitter", "instagram", "facebook", "linkedin"}


def test_follower_growth_equals_truth(loaded):
    syncs = sorted(_ts(t) for t in loaded.sync_times)
    end_of_day = {}  # the day's last sync
    for t in syncs:
        end_of_day[t.date()] = t
    followers = {day: _truth_followers(loaded, t) for day, t in end_of_day.items()}
    rows = loaded.query("select * from marts.account_metrics_daily where followers is not null")
    days = sorted(end_of_day)
    seen = 0
    for row in rows:
        key = (row["platform"], row["platform_account_id"])
        assert row["followers"] == followers[row["metric_date"]][key]
        i = days.index(row["metric_date"])
        if i == 0:
            assert row["follower_growth"] is None
        else:
            expected = followers[days[i]][key] - followers[days[i - 1]][key]
            assert row["follower_growth"] == expected
            seen += 1
    assert seen >= 2 * len({r["account_id"] for r in rows})


def test_share_of_voice_equals_truth(loaded):
    last = loaded.sync_times[-1]
    truth_last = _truth_posts(loaded, last)
    accounts = loaded.query("select * from marts.accounts")
    observed = {r["post_key"]: r for r in loaded.query(
        "select post_key, metrics_observed_at, saves from marts.posts")}
    truth_at = {t: _truth_posts(loaded, t)
                for t in {r["metrics_observed_at"] for r in observed.values()}}
    # recompute weekly public engagement per account from the truth posts of each set
    engagement: dict[tuple, float] = defaultdict(float)
    for acct in accounts:
        if acct["platform"] not in ("twitter", "instagram"):
            continue
        for key, post in truth_last.items():
            if (post["platform"], post["account_id"]) != (acct["platform"],
                                                         acct["platform_account_id"]):
                continue
            if not post["is_visible"] or post["is_malformed"]:
                continue
            seen = observed[key]
            value = _public_engagement(post["platform"], truth_at[seen["metrics_observed_at"]][key],
                                       seen["saves"] is not None)
            created = _ts(post["created_at"]).date()
            week = created - timedelta(days=created.weekday())
            engagement[(acct["workspace_id"], acct["platform"], week, acct["account_id"])] += value
    totals: dict[tuple, float] = defaultdict(float)
    for (ws, platform, week, _), value in engagement.items():
        totals[(ws, platform, week)] += value
    rows = loaded.query("select * from marts.competitor_benchmark where period_grain = 'week' "
                        "and platform in ('twitter', 'instagram')")
    assert rows
    for row in rows:
        key = (row["workspace_id"], row["platform"], row["period_start"])
        expected = engagement.get((*key, row["account_id"]), 0.0)
        assert row["engagement"] == expected
        assert row["share_of_voice"] == pytest.approx(expected / totals[key])
    # competitor average excludes the owned account (Rival IQ's "Competitor Average")
    sample = [r for r in rows if r["engagement_per_post"] is not None][0]
    peers = [r["engagement_per_post"] for r in rows
             if r["is_competitor"] and r["engagement_per_post"] is not None and
             (r["workspace_id"], r["platform"], r["period_start"])
             == (sample["workspace_id"], sample["platform"], sample["period_start"])]
    assert sample["engagement_per_post_vs_competitor_avg"] == pytest.approx(
        sample["engagement_per_post"] - sum(peers) / len(peers))


def test_hashtag_counts_equal_truth(loaded):
    truth_last = _truth_posts(loaded, loaded.sync_times[-1])
    accounts = {(a["platform"], a["platform_account_id"]): a
                for a in loaded.query("select * from marts.accounts")}
    expected: dict[tuple, int] = defaultdict(int)
    for post in truth_last.values():
        acct = accounts.get((post["platform"], post["account_id"]))
        # competitor Facebook pages expose page fields only: none of their posts is readable
        if acct is None or (post["platform"] == "facebook" and acct["is_competitor"]):
            continue
        if not post["is_visible"] or post["is_malformed"]:
            continue
        for tag in post["hashtags"]:
            expected[(acct["workspace_id"], tag.lower(), _ts(post["created_at"]).date())] += 1
    rows = loaded.query("select * from marts.hashtag_trends where posts > 0")
    got = {(r["workspace_id"], r["hashtag"], r["metric_date"]): r["posts"] for r in rows}
    assert got == dict(expected)
    # velocity: today's count against the trailing seven days (sigma floored at one post)
    row = max(rows, key=lambda r: r["velocity"])
    history = [got.get((row["workspace_id"], row["hashtag"],
                        row["metric_date"] - timedelta(days=d)), 0) for d in range(1, 8)]
    first_use = min(d for (ws, tag, d) in got if (ws, tag) == (row["workspace_id"],
                                                               row["hashtag"]))
    history = history[:max(0, (row["metric_date"] - first_use).days)]
    if history:
        mean = sum(history) / len(history)
        sd = (sum((h - mean) ** 2 for h in history) / len(history)) ** 0.5
        assert row["velocity"] == pytest.approx((row["posts"] - mean) / max(sd, 1))


def test_viral_candidates_are_the_sandbox_viral_posts(loaded):
    last = _ts(loaded.sync_times[-1])
    truth_last = _truth_posts(loaded, last)
    loaded_keys = {r["post_key"] for r in loaded.query("select post_key from marts.posts")}
    viral = {k: _ts(p["viral_at"]) for k, p in truth_last.items()
             if p["is_viral"] and k in loaded_keys}
    rows = loaded.query("select * from marts.viral_candidates")
    fired = {r["post_key"] for r in rows}
    # every post that took off at least an hour before the last sync is caught ...
    took_off = {k for k, t in viral.items() if t <= last - timedelta(hours=1)}
    assert took_off - fired == set()
    # ... and nothing else: no calm post, no post that had not yet taken off
    assert fired - {k for k, t in viral.items() if t <= last} == set()
    # takeoffs between syncs exist and are detected at the first sync after them
    syncs = sorted(_ts(t) for t in loaded.sync_times)
    live = [r for r in rows if viral[r["post_key"]] > syncs[0]]
    assert live, "no viral post took off between syncs: enlarge the world"
    for row in rows:
        assert row["detected_at"] in syncs
        assert row["detected_at"] > viral[row["post_key"]]
        assert row["score"] > 0 and row["metric_value"] >= row["threshold"]
    assert {r["rule"] for r in rows} == {"engagement_24h_zscore", "engagement_rate_breakout"}


def test_incremental_build_rewrites_only_the_lookback_window(loaded):
    """Build 2 ran with lookback_days=0: only days from the last stored day on are rewritten;
    the result equals a full rebuild."""
    rows = loaded.query("select * from marts.post_metrics_daily order by post_key, metric_date")
    by_day: dict = defaultdict(set)
    for r in rows:
        by_day[r["metric_date"]].add(r["dbt_invocation_id"])
    days = sorted(by_day)
    assert len(days) == 3  # the syncs fell on three UTC days
    first_build, *_ = by_day[days[0]]
    assert by_day[days[0]] == {first_build}
    # the window started at the last day build 1 had stored (lookback 0): days 2 and 3
    second = by_day[days[1]] | by_day[days[2]]
    assert len(second) == 1 and first_build not in second
    assert 0 < sum(1 for r in rows if r["metric_date"] >= days[1]) < len(rows)

    skip = {"dbt_invocation_id", "processed_at"}
    incremental = [{k: v for k, v in r.items() if k not in skip} for r in rows]
    run_dbt(["run", "--select", "post_metrics_daily", "--full-refresh"], loaded.url)
    full = loaded.query("select * from marts.post_metrics_daily order by post_key, metric_date")
    assert incremental == [{k: v for k, v in r.items() if k not in skip} for r in full]
