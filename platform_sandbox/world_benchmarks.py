"""What brand accounts look like per network: the published figures the world is drawn from.

Sources of each figure are in DECISIONS.md (Sandbox calibration). Medians are of brand accounts
across industries; every account draws its own value around them (log-normal, ``*_sigma``), and
every post draws around its account's.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Network:
    followers_median: float
    followers_sigma: float
    posts_per_week: float
    # engagement (likes + comments + shares + saves) per post / followers at post time
    engagement_rate: float
    # people reached per follower (X and LinkedIn report impressions: reach x 1.35)
    reach_per_follower: float
    # comments, shares and saves per like
    comments_per_like: float
    shares_per_like: float
    saves_per_like: float
    monthly_growth: float
    # engagement multiplier of posts published on Saturday / Sunday (UTC)
    weekend_effect: float


NETWORKS = {
    "twitter": Network(40_000, 1.0, 7.0, 0.00043, 0.03, 0.15, 0.25, 0.08, 0.004, 0.9),
    "instagram": Network(25_000, 1.0, 4.5, 0.007, 0.14, 0.03, 0.02, 0.05, 0.015, 1.05),
    "facebook": Network(60_000, 1.0, 5.0, 0.001, 0.045, 0.10, 0.12, 0.0, 0.003, 0.9),
    "linkedin": Network(10_000, 0.9, 2.5, 0.017, 0.25, 0.06, 0.08, 0.0, 0.025, 0.6),
}
ACCOUNT_RATE_SIGMA = 0.3  # spread of accounts' engagement rates around the network median
POSTS_PER_WEEK_SIGMA = 0.3

# share of a weekday's posts by UTC hour (brands post in office hours) and of the week by day
_HOUR_WEIGHTS = [0.1] * 6 + [0.5, 0.9, 1.4] + [1.8] * 9 + [1.1] * 3 + [0.6, 0.3, 0.2]
_DAY_WEIGHTS = [1.0] * 5 + [0.55, 0.45]  # Monday .. Sunday
# engagement multiplier by UTC hour of publication: lunch and evening scrolling
_HOUR_EFFECT = [0.75] * 6 + [0.9, 0.95, 1.0] + [1.1] * 5 + [1.0] * 3 + [1.15] * 4 + [0.9] * 3

WEEK_S = 7 * 86_400
_MONDAY = datetime(2024, 1, 1, tzinfo=UTC).timestamp()  # a Monday 00:00 UTC: week origin


def _cumulative() -> tuple[list[float], list[float]]:
    weights = [d * h for d in _DAY_WEIGHTS for h in _HOUR_WEIGHTS]
    scale = 168 / sum(weights)
    rates = [w * scale for w in weights]  # activity seconds per real second, mean 1
    cum = [0.0]
    for r in rates:
        cum.append(cum[-1] + r * 3600)
    return rates, cum


_RATES, _CUM = _cumulative()


def activity(t: datetime) -> float:
    """Activity clock at ``t``: seconds weighted by how likely brands post then (monotone;
    a week of activity equals a week of seconds)."""
    s = t.timestamp() - _MONDAY
    weeks, rem = divmod(s, WEEK_S)
    hour = min(int(rem // 3600), 167)
    return weeks * WEEK_S + _CUM[hour] + _RATES[hour] * (rem - hour * 3600)


def from_activity(a: float) -> float:
    """Inverse of :func:`activity`: the Unix timestamp at activity ``a``."""
    weeks, rem = divmod(a, WEEK_S)
    hour = min(max(bisect.bisect_right(_CUM, rem) - 1, 0), 167)
    return _MONDAY + weeks * WEEK_S + hour * 3600 + (rem - _CUM[hour]) / _RATES[hour]


def _raw_effect(platform: str, weekday: int, hour: int) -> float:
    return _HOUR_EFFECT[hour] * (NETWORKS[platform].weekend_effect if weekday >= 5 else 1.0)


# the effect averaged over when brands post is 1, so the network's median rate holds
_EFFECT_NORM = {p: sum(_RATES[h] * _raw_effect(p, h // 24, h % 24) for h in range(168)) / 168
                for p in NETWORKS}


def timing_effect(platform: str, t: datetime) -> float:
    """Engagement multiplier of a post published at ``t`` (hour of day, weekend)."""
    return _raw_effect(platform, t.weekday(), t.hour) / _EFFECT_NORM[platform]


def daily_growth(platform: str, factor: float) -> float:
    """Daily follower growth rate for an account ``factor`` x the network's median."""
    return math.log1p(NETWORKS[platform].monthly_growth * factor) / 30.0
