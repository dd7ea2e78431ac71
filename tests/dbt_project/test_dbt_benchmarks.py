"""Benchmark, best time and hashtag marts against the sandbox's ground truth (viral world, four
real syncs). Every expected figure is recomputed here from the truth posts and the sync clock;
only when a sync last saw a post (its maturity) is read from marts.posts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from statistics import median

import pytest

from tests.dbt_project.test_dbt_marts import _expected_posts

pytestmark = pytest.mark.slow
MATURITY = timedelta(hours=48)  # dbt var post_maturity_hours
MIN_SAMPLE = 5  # dbt var best_time_min_posts
BASELINE_DAYS = 7  # dbt var hashtag_baseline_days
MIN_TAG_POSTS = 2  # dbt var hashtag_min_posts
UNAVAILABLE = {"facebook", "linkedin"}  # competitors' posts not exposed


def _ts(value) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _period(day: date, grain: str) -> tuple[date, date]:
    if grain == "day":
        return day, day
    if grain == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    start = day.replace(day=1)
    nxt = (start + timedelta(days=32)).replace(day=1)
    return start, nxt - timedelta(days=1)


def _posts_with_maturity(wh) -> list[dict]:
    observed = {(r["account_id"], r["post_id"]): _ts(r["metrics_observed_at"])
                for r in wh.query("select account_id, post_id, metrics_observed_at "
                                  "from marts.posts")}
    out = []
    for post in _expected_posts(wh):
        seen = observed[(post["account"]["account_id"], post["post_id"])]
        out.append({**post, "is_mature": seen - post["created_at"] >= MATURITY})
    return out


def _expected_benchmark(wh) -> dict[tuple, dict]:
    """(account_id, grain, period_start) -> the figures DECISIONS.md defines, from the truth."""
    posts = _posts_with_maturity(wh)
    last_day = _ts(wh.sync_times[-1]).astimezone(UTC).date()  # every account syncs each time
    members = defaultdict(list)
    for acct in wh.query("select * from marts.accounts"):
        members[(acct["workspace_id"], acct["platform"])].append(acct)
    by_account = defaultdict(list)
    for p in posts:
        by_account[p["account"]["account_id"]].append(p)
    expected = {}
    for (_, platform), accts in members.items():
        set_posts = [p for a in accts for p in by_account[a["account_id"]]]
        if not set_posts:
            continue
        set_first = min(p["created_at"].date() for p in set_posts)
        for grain in ("day", "week", "month"):
            for start, end in sorted({_period(p["created_at"].date(), grain) for p in set_posts}):
                rows = {}
                for a in accts:
                    own = [p for p in by_account[a["account_id"]]
                           if start <= p["created_at"].date() <= end]
                    if a["is_competitor"] and platform in UNAVAILABLE:
                        rows[a["account_id"]] = {"benchmark_status": "not_available",
                                                 "posts": None, "public_engagement": None,
                                                 "observed_days": None}
                        continue
                    first = min((p["created_at"].date() for p in by_account[a["account_id"]]),
                                default=set_first)
                    days = max(0, (min(end, last_day) - max(start, first)).days + 1)
                    mature = [p for p in own if p["is_mature"]]
                    rows[a["account_id"]] = {
                        "benchmark_status": "comparable", "posts": len(own),
                        "observed_days": days, "mature_posts": len(mature),
                        "public_engagement": sum(p["public_engagement"] for p in mature)}
                comparable = {k: v for k, v in rows.items()
                              if v["benchmark_status"] == "comparable"}
                total = sum(v["public_engagement"] for v in comparable.values())
                ranked = len(comparable) >= 2 and any(v["mature_posts"]
                                                      for v in comparable.values())
                for account_id, row in rows.items():
                    row.update(share_of_voice=None, public_engagement_rank=None,
                               public_engagement_percentile=None)
                    if account_id in comparable and len(comparable) >= 2 and total:
                        row["share_of_voice"] = row["public_engagement"] / total
                    if account_id in comparable and ranked:
                        values = [v["public_engagement"] for v in comparable.values()]
                        mine = row["public_engagement"]
                        row["public_engagement_rank"] = 1 + sum(v > mine for v in values)
                        row["public_engagement_percentile"] = (
                            sum(v < mine for v in values) / (len(values) - 1))
                    expected[(account_id, grain, start)] = row
    return expected


def test_benchmark_is_like_for_like_and_equals_truth(loaded):
    """Status, posts, observed days, posting frequency, public engagement of mature posts,
    share of voice, rank and percentile of every account and period."""
    expected = _expected_benchmark(loaded)
    rows = loaded.query("select * from marts.competitor_benchmark")
    got = {(r["account_id"], r["period_grain"], r["period_start"]): r for r in rows}
    assert set(got) == set(expected)
    for key, e in expected.items():
        row = got[key]
        for column in ("benchmark_status", "posts", "observed_days", "public_engagement",
                       "public_engagement_rank"):
            assert row[column] == e[column], (key, column, row[column], e[column])
        for column in ("share_of_voice", "public_engagement_percentile"):
            assert (row[column] is None) == (e[column] is None), (key, column)
            if e[column] is not None:
                assert row[column] == pytest.approx(e[column]), (key, column)
        if e["observed_days"]:
            assert row["posting_frequency"] == pytest.approx(e["posts"] / e["observed_days"])
        else:
            assert row["posting_frequency"] is None
    # the cases this world must show: unreadable competitors, sets of one, immature posts
    statuses = {(r["platform"], r["benchmark_status"]) for r in rows}
    assert ("facebook", "not_available") in statuses
    assert all(r["public_engagement_rank"] is None for r in rows if r["platform"] == "linkedin")
    assert any(e["mature_posts"] < e["posts"] for e in expected.values() if e.get("posts"))


def test_share_of_voice_sums_to_one_per_set(loaded):
    sums = loaded.query(
        "select workspace_id, platform, period_grain, period_start, sum(share_of_voice) as s, "
        "count(share_of_voice) as n from marts.competitor_benchmark "
        "group by 1, 2, 3, 4 having count(share_of_voice) > 0")
    assert sums and {r["platform"] for r in sums} == {"twitter", "instagram"}
    for r in sums:
        assert r["s"] == pytest.approx(1.0) and r["n"] >= 2, r
    # owned Facebook pages are alone among readable pages: no 100 % share, no rank 1
    fb = loaded.query("select * from marts.competitor_benchmark where platform = 'facebook'")
    assert fb and all(r["share_of_voice"] is None and r["public_engagement_rank"] is None
                      for r in fb)
    assert all(r["benchmark_status_reason"] for r in fb if r["is_competitor"])


def test_competitor_gap_equals_truth_and_is_null_without_a_comparable_competitor(loaded):
    """Public engagement per mature post and its gap to the competitor average (the mean of the
    set's competitors that have the figure), per account and period, from the truth. A set
    whose competitors are all not_available (every Facebook and LinkedIn set) has no average:
    the gap is null, never 0 and never the account's own figure."""
    expected = _expected_benchmark(loaded)
    accounts = {a["account_id"]: a for a in loaded.query("select * from marts.accounts")}
    per_post = {k: e["public_engagement"] / e["mature_posts"] if e.get("mature_posts") else None
                for k, e in expected.items()}
    sets: dict[tuple, list[int]] = defaultdict(list)
    for account_id, grain, start in expected:
        acct = accounts[account_id]
        sets[(acct["workspace_id"], acct["platform"], grain, start)].append(account_id)
    got = {(r["account_id"], r["period_grain"], r["period_start"]): r
           for r in loaded.query("select * from marts.competitor_benchmark")}
    without_average = set()
    for (_, platform, grain, start), members in sets.items():
        figures = [per_post[(m, grain, start)] for m in members
                   if accounts[m]["is_competitor"] and per_post[(m, grain, start)] is not None]
        average = sum(figures) / len(figures) if figures else None
        for m in members:
            row, own = got[(m, grain, start)], per_post[(m, grain, start)]
            assert (row["public_engagement_per_post"] is None) == (own is None), (m, grain, start)
            if own is not None:
                assert row["public_engagement_per_post"] == pytest.approx(own)
            gap = row["public_engagement_per_post_vs_competitor_avg"]
            if own is None or average is None:
                assert gap is None, (platform, m, grain, start, gap)
                if own is not None and not accounts[m]["is_competitor"]:
                    without_average.add(platform)
            else:
                assert gap == pytest.approx(own - average), (m, grain, start)
    # owned accounts with a figure of their own and no competitor average: the chart's case
    assert without_average >= UNAVAILABLE


def _best_time_expected(wh) -> dict[tuple, dict]:
    posts = _posts_with_maturity(wh)
    since = max(p["created_at"] for p in posts) - timedelta(weeks=16)
    samples: dict[tuple, list[float]] = defaultdict(list)
    cells: dict[tuple, int] = defaultdict(int)
    for p in posts:
        if p["created_at"] < since:
            continue
        acct, at = p["account"], p["created_at"].astimezone(UTC)
        day, hour = at.isoweekday(), at.hour
        cells[(acct["account_id"], acct["workspace_id"], acct["platform"], day, hour)] += 1
        if p["is_mature"] and p["followers"]:
            rate = p["engagement"] / p["followers"]
            for key in (("cell", acct["account_id"], day, hour), ("weekday", acct["account_id"],
                        day), ("hour", acct["account_id"], hour),
                        ("platform", acct["workspace_id"], acct["platform"])):
                samples[key].append(rate)
    expected = {}
    for (account_id, ws, platform, day, hour), count in cells.items():
        levels = [("weekday_hour", ("cell", account_id, day, hour)),
                  ("weekday", ("weekday", account_id, day)),
                  ("hour", ("hour", account_id, hour)), ("platform", ("platform", ws, platform))]
        level, sample = next(((name, samples[k]) for name, k in levels
                              if len(samples[k]) >= MIN_SAMPLE),
                             ("too_few_posts", samples[levels[0][1]]))
        expected[(account_id, day, hour)] = {
            "posts": count, "sample_level": level, "sample_size": len(sample),
            "median": median(sample) if level != "too_few_posts" else None}
    return expected


def test_best_time_cells_equal_truth(loaded):
    """Every cell's level, sample size and median from the truth posts, and no account's best
    slot rests on fewer than the minimum sample (so never on one viral post)."""
    expected = _best_time_expected(loaded)
    rows = loaded.query("select * from marts.best_time_to_post")
    got = {(r["account_id"], r["weekday"], r["hour_utc"]): r for r in rows}
    assert set(got) == set(expected)
    for key, e in expected.items():
        row = got[key]
        assert (row["posts"], row["sample_level"], row["sample_size"]) == (
            e["posts"], e["sample_level"], e["sample_size"]), key
        if e["median"] is None:
            assert row["median_engagement_rate"] is None and row["best_time_rank"] is None
        else:
            assert row["median_engagement_rate"] == pytest.approx(e["median"]), key
        if e["sample_level"] in ("platform", "too_few_posts"):
            assert row["best_time_rank"] is None, key  # says nothing about its own time
    best = [r for r in rows if r["best_time_rank"] == 1]
    assert best and all(r["sample_size"] >= MIN_SAMPLE for r in best)
    assert len({r["sample_level"] for r in rows}) >= 2  # the world exercises the fallback


def _velocity_series(counts: dict[date, int], first: date, last: date) -> dict[date, tuple]:
    """(posts, baseline_mean, velocity) per day of one series, as DECISIONS.md defines them:
    the baseline is the series' own previous 7 calendar days (fewer after its first use),
    velocity = (posts - mean) / max(population stddev, 1)."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    out = {}
    for i, day in enumerate(days):
        history = [counts.get(d, 0) for d in days[max(0, i - BASELINE_DAYS):i]]
        mean = sum(history) / len(history) if history else 0.0
        sd = (sum((h - mean) ** 2 for h in history) / len(history)) ** 0.5 if history else 0.0
        posts = counts.get(day, 0)
        out[day] = (posts, mean, (posts - mean) / max(sd, 1))
    return out


def test_hashtag_counts_and_velocity_equal_truth(loaded):
    """Per platform and for all platforms together (platform null), every complete day of every
    series from its first use to the day before the last sync (that day is partial)."""
    last_day = _ts(loaded.sync_times[-1]).astimezone(UTC).date() - timedelta(days=1)
    counts: dict[tuple, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for post in _expected_posts(loaded):
        ws, day = post["account"]["workspace_id"], post["created_at"].date()
        if day > last_day:
            continue
        for tag in post["hashtags"]:
            for platform in (post["account"]["platform"], None):
                counts[(ws, platform, tag)][day] += 1
    expected = {}
    for (ws, platform, tag), series in counts.items():
        for day, figures in _velocity_series(series, min(series), last_day).items():
            expected[(ws, platform, tag, day)] = figures
    rows = loaded.query("select * from marts.hashtag_trends")
    assert max(r["metric_date"] for r in rows) == last_day
    got = {(r["workspace_id"], r["platform"], r["hashtag"], r["metric_date"]): r for r in rows}
    assert set(got) == set(expected)
    for key, (posts, mean, velocity) in expected.items():
        row = got[key]
        assert row["posts"] == posts, key
        assert row["baseline_mean"] == pytest.approx(mean), key
        assert row["velocity"] == pytest.approx(velocity), key
    # trending_rank orders each workspace, platform (or all) and day by velocity, among the
    # tags with the minimum volume; thinner ones have none
    days: dict[tuple, list[dict]] = defaultdict(list)
    for (ws, platform, _, day), row in got.items():
        assert (row["trending_rank"] is None) == (row["posts"] < MIN_TAG_POSTS), row
        if row["trending_rank"] is not None:
            days[(ws, platform, day)].append(row)
    assert days
    for group in days.values():
        ranked = sorted(group, key=lambda r: r["trending_rank"])
        assert [r["trending_rank"] for r in ranked] == list(range(1, len(group) + 1))
        velocities = [r["velocity"] for r in ranked]
        assert velocities == sorted(velocities, reverse=True)
