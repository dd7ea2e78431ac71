"""The viral rule's replay (socialpulse.alerts.calibration) on posts whose numbers are known."""

from __future__ import annotations

import statistics
from datetime import UTC, datetime, timedelta

from socialpulse.alerts.calibration import (
    Baseline,
    ObservedPost,
    Thresholds,
    _q25,
    baseline_stats,
    merge,
    replay,
    score,
)

T0 = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
RULE = Thresholds(engagement_k=3.0, rate_k=5.0, min_lift=8.0)


def _post(n: int, created: datetime, final: float, syncs: list[datetime], viral_at=None,
          account: str = "x:1") -> ObservedPost:
    snaps = [(t, final if viral_at is None or t >= viral_at else 100.0)
             for t in syncs if t >= created]
    return ObservedPost(account, f"x:{n}", created, 10_000, viral_at is not None, viral_at,
                        snaps)


def test_q25_is_postgres_percentile_cont():
    assert _q25([1, 2, 3, 4, 5]) == 2.0
    assert _q25([10, 20]) == 12.5  # interpolated, as percentile_cont(0.25) gives


def test_baseline_trims_earlier_breakouts_and_needs_three_posts():
    syncs = [T0 + timedelta(days=d) for d in range(3)]
    mature = [(_post(n, T0 - timedelta(days=n), v, syncs), v)
              for n, v in enumerate([90, 100, 110, 105, 5000], start=1)]
    candidate = _post(0, T0 + timedelta(hours=1), 100, syncs)
    mean, sd, rate_mean, _ = baseline_stats(candidate, mature, Baseline())
    assert mean == statistics.fmean([90, 100, 110, 105])  # 5000 > 3 x q25: left out
    assert sd == statistics.stdev([90, 100, 110, 105]) and rate_mean == mean / 10_000
    assert baseline_stats(candidate, mature[:2], Baseline()) is None


def test_live_takeoff_is_caught_a_takeoff_before_connection_is_found_calm_posts_are_not():
    syncs = [T0 + timedelta(hours=6 * n) for n in range(12)]
    calm = [_post(n, T0 - timedelta(days=n), 95.0 + 3 * (n % 4), syncs) for n in range(1, 9)]
    strong = _post(20, T0 - timedelta(hours=30), 300.0, syncs)  # 3x: strong, not viral
    before = _post(21, T0 - timedelta(days=2), 2500.0, syncs, viral_at=T0 - timedelta(days=1))
    live = _post(22, T0 + timedelta(hours=20), 2400.0, syncs, viral_at=T0 + timedelta(hours=30))
    posts = [*calm, strong, before, live]
    checks = replay(posts, syncs, Baseline())
    result = score(checks, posts, account_months=1.0, thresholds=RULE)
    assert (result.viral_posts, result.caught, result.false_alarms) == (1, 1, 0)
    assert result.found_at_connection == 1 and result.recall == result.precision == 1.0
    # a guard of 2x the mean turns the strong post into a false alarm
    loose = score(checks, posts, 1.0, Thresholds(3.0, 5.0, 2.0))
    assert loose.false_alarms == 1 and loose.false_alarms_per_account_month == 1.0
    assert merge([result, loose]).false_alarms == 1
