"""The sandbox looks like published brand benchmarks (sources in DECISIONS.md, Sandbox
calibration), checked on a seed no other test uses, from the world's own ground truth."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import timedelta

import pytest

from platform_sandbox.world import World
from platform_sandbox.world_config import WorldConfig

BENCHMARK_SEED = 9137
# (low, high) of the published medians per network
ENGAGEMENT_RATE = {"twitter": (0.0003, 0.0005), "facebook": (0.0006, 0.002),
                   "instagram": (0.005, 0.01), "linkedin": (0.01, 0.02)}
POSTS_PER_WEEK = {"twitter": (5.0, 12.0), "facebook": (3.5, 7.0), "instagram": (3.5, 6.0),
                  "linkedin": (1.5, 4.0)}
# engagement by reach (Instagram, Facebook) or impressions (X, LinkedIn)
RATE_BY_REACH = {"twitter": (0.004, 0.02), "facebook": (0.01, 0.04),
                 "instagram": (0.025, 0.08), "linkedin": (0.02, 0.06)}


@pytest.fixture(scope="module")
def world() -> World:
    return World(WorldConfig(seed=BENCHMARK_SEED, workspaces_per_agency=6, history_days=28.0,
                             viral_fraction=0.0))


def _own_posts(world: World, platform: str):
    for account in world.accounts:
        if account.platform != platform:
            continue
        for k in range(world.post_count(account, world.config.start)):
            post = world.post(account, k)
            if not post.is_retweet:
                yield post


def _engagement(m: dict[str, int]) -> int:
    return m["likes"] + m["comments"] + m["shares"] + m["saves"]


@pytest.mark.parametrize("platform", list(ENGAGEMENT_RATE))
def test_median_rates_and_posting_frequency_are_the_published_ones(world, platform):
    rates, by_reach = [], []
    for post in _own_posts(world, platform):
        m = world.metrics(post, post.created_at + timedelta(days=7))
        rates.append(_engagement(m) / world.followers(post.account, post.created_at))
        seen = m["impressions"] if platform in ("twitter", "linkedin") else m["reach"]
        by_reach.append(_engagement(m) / seen)
    weeks = world.config.history_days / 7
    per_week = [world.post_count(a, world.config.start) / weeks for a in world.accounts
                if a.platform == platform]
    low, high = ENGAGEMENT_RATE[platform]
    assert low <= statistics.median(rates) <= high
    low, high = POSTS_PER_WEEK[platform]
    assert low <= statistics.median(per_week) <= high
    low, high = RATE_BY_REACH[platform]
    assert low <= statistics.median(by_reach) <= high


def test_followers_differ_by_network_and_grow(world):
    median = {p: statistics.median(world.followers(a, world.config.start)
                                   for a in world.accounts if a.platform == p)
              for p in ENGAGEMENT_RATE}
    assert median["linkedin"] < median["instagram"] < median["facebook"]
    start = world.config.start
    grew = [world.followers(a, start) > world.followers(a, start - timedelta(days=14))
            for a in world.accounts]
    assert sum(grew) >= 0.9 * len(grew)


def test_brands_post_in_office_hours_and_on_weekdays(world):
    times = [p.created_at for p in _own_posts(world, "instagram")]
    weekend = sum(t.weekday() >= 5 for t in times) / len(times)
    night = sum(t.hour < 6 for t in times) / len(times)
    assert weekend < 2 / 7 * 0.75  # fewer than an even spread would put there
    assert night < 0.25 * 0.5


def test_posting_hour_moves_engagement(world):
    """Posts at lunch/evening draw more than at night, relative to their account's level."""
    ratio: dict[str, list[float]] = {"night": [], "day": []}
    for post in _own_posts(world, "instagram"):
        m = world.metrics(post, post.created_at + timedelta(days=7))
        rel = _engagement(m) / world.followers(post.account, post.created_at)
        rel /= post.account.engagement_rate
        if post.created_at.hour < 6:
            ratio["night"].append(rel)
        elif 11 <= post.created_at.hour < 14 or 17 <= post.created_at.hour < 21:
            ratio["day"].append(rel)
    assert statistics.median(ratio["day"]) > 1.2 * statistics.median(ratio["night"])


def test_engagement_is_heavy_tailed_with_strong_but_not_viral_posts(world):
    """Some calm posts reach 2.5x+ their account's median, none reaches a viral 15x."""
    lifts = []
    for account in world.accounts:
        values = [_engagement(world.metrics(world.post(account, k), world.config.start
                                            + timedelta(days=7)))
                  for k in range(world.post_count(account, world.config.start))
                  if not world.post(account, k).is_retweet]
        if len(values) >= 5 and statistics.median(values) >= 20:
            mid = statistics.median(values)
            lifts += [v / mid for v in values]
    assert sum(lift >= 2.5 for lift in lifts) >= 0.01 * len(lifts)
    assert max(lifts) < 12


def test_a_few_hashtags_trend_in_bursts_many_do_not(world):
    daily: dict[str, Counter] = {}
    for platform in ENGAGEMENT_RATE:
        for post in _own_posts(world, platform):
            for tag in post.hashtags:
                daily.setdefault(tag, Counter())[post.created_at.date()] += 1
    days = world.config.history_days
    bursty = [tag for tag, c in daily.items()
              if max(c.values()) >= 6 and len(c) <= 0.3 * days]
    steady = [tag for tag, c in daily.items() if len(c) > 0.3 * days]
    assert 2 <= len(bursty) <= 0.25 * len(daily)
    assert len(steady) >= 3 * len(bursty) / 2
