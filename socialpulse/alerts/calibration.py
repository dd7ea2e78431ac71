"""Calibrate the viral rule: replay it over observed posts whose truth is known, score it.

The replay follows ``viral_candidates`` and the ``viral_baseline`` / ``viral_rule`` macros
(dbt_project/macros/viral.sql) build by build: after each sync the mart is rebuilt from the
snapshots observed so far, and an alert, once raised, stays. The baseline does not depend on the
thresholds, so it is computed once per (build, post) and every threshold set of the grid is
scored from the same numbers. What the posts are (a sandbox world observed at sync times) is
the caller's business: this module knows only observations and truth.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass
class ObservedPost:
    """One post of one account as the syncs saw it, and what it really was."""

    account: str
    post_id: str
    created_at: datetime
    followers: int
    is_viral: bool
    viral_at: datetime | None
    # (observed_at, engagement), in time order
    snapshots: list[tuple[datetime, float]] = field(default_factory=list)


@dataclass(frozen=True)
class Baseline:
    """The viral_baseline macro's knobs (vars in dbt_project.yml)."""

    days: float = 7.0
    min_posts: int = 5
    trim: float = 3.0
    early_hours: float = 24.0


@dataclass(frozen=True)
class Thresholds:
    engagement_k: float
    rate_k: float
    min_lift: float


@dataclass
class Score:
    """What one threshold set did on a set of worlds."""

    thresholds: Thresholds
    viral_posts: int = 0        # took off after their account's first observation
    caught: int = 0
    false_alarms: int = 0       # alerted posts that were not viral
    account_months: float = 0.0
    found_at_connection: int = 0  # viral posts alerted in the accounts' connection notice

    @property
    def recall(self) -> float | None:
        return self.caught / self.viral_posts if self.viral_posts else None

    @property
    def precision(self) -> float | None:
        alerted = self.caught + self.false_alarms
        return self.caught / alerted if alerted else None

    @property
    def false_alarms_per_account_month(self) -> float:
        return self.false_alarms / self.account_months if self.account_months else 0.0


def _q25(values: list[float]) -> float:
    """percentile_cont(0.25): linear interpolation between the closest ranks."""
    ordered = sorted(values)
    pos = 0.25 * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def _latest(post: ObservedPost, at: datetime) -> tuple[datetime, float] | None:
    seen = [s for s in post.snapshots if s[0] <= at]
    return seen[-1] if seen else None


def baseline_stats(candidate: ObservedPost, mature: list[tuple[ObservedPost, float]],
                   knobs: Baseline) -> tuple[float, float, float, float] | None:
    """(engagement mean, sd, rate mean, sd) of the candidate's baseline, or None (< 3 posts)."""
    window = timedelta(days=knobs.days)
    pool = []
    for post, engagement in mature:
        if post.post_id == candidate.post_id:
            continue
        in_window = candidate.created_at - window <= post.created_at < candidate.created_at
        distance = abs((post.created_at - candidate.created_at).total_seconds())
        pool.append((not in_window, distance, engagement, engagement / post.followers))
    if not pool:
        return None
    in_window_count = sum(1 for p in pool if not p[0])
    pool.sort(key=lambda p: (p[0], p[1]))
    chosen = pool[:max(in_window_count, knobs.min_posts)]
    cut = knobs.trim * _q25([p[2] for p in chosen])
    kept = [p for p in chosen if p[2] <= cut]
    if len(kept) < 3:
        return None
    eng, rate = [p[2] for p in kept], [p[3] for p in kept]
    return statistics.fmean(eng), statistics.stdev(eng), statistics.fmean(rate), \
        statistics.stdev(rate)


@dataclass
class _Check:
    """One (build, post) evaluation: the numbers every threshold set is compared with."""

    post: ObservedPost
    latest: float
    first: float
    followers: int
    stats: tuple[float, float, float, float]
    could_be_found: bool  # published before its account's first observation


def replay(posts: list[ObservedPost], builds: Iterable[datetime], knobs: Baseline,
           window_days: float = 30.0) -> list[_Check]:
    """Every (build, candidate) evaluation the mart would make over ``builds``."""
    by_account: dict[str, list[ObservedPost]] = {}
    for p in posts:
        if p.snapshots:
            by_account.setdefault(p.account, []).append(p)
    first_seen = {a: min(p.snapshots[0][0] for p in ps) for a, ps in by_account.items()}
    checks = []
    for at in builds:
        for account, account_posts in by_account.items():
            latest = {p.post_id: seen for p in account_posts
                      if (seen := _latest(p, at)) is not None}
            mature = [(p, latest[p.post_id][1]) for p in account_posts
                      if p.post_id in latest and latest[p.post_id][0] >= p.created_at
                      + timedelta(hours=knobs.early_hours)]
            for p in account_posts:
                seen = latest.get(p.post_id)
                if seen is None or p.created_at < at - timedelta(days=window_days):
                    continue
                stats = baseline_stats(p, mature, knobs)
                if stats is not None:
                    checks.append(_Check(p, seen[1], p.snapshots[0][1], p.followers, stats,
                                         p.created_at < first_seen[account]))
    return checks


def _fires(check: _Check, t: Thresholds, value_of) -> bool:
    eng_mean, eng_sd, rate_mean, rate_sd = check.stats
    value = value_of(check)
    if eng_sd > 0 and value >= max(eng_mean + t.engagement_k * eng_sd, t.min_lift * eng_mean):
        return True
    rate = value / check.followers
    return rate_sd > 0 and rate >= max(rate_mean + t.rate_k * rate_sd, t.min_lift * rate_mean)


def score(checks: list[_Check], posts: list[ObservedPost], account_months: float,
          thresholds: Thresholds) -> Score:
    """Alerts the rule raises with ``thresholds`` over the replayed builds, against the truth."""
    live: set[str] = set()
    found: set[str] = set()
    for c in checks:
        if c.post.post_id in live or c.post.post_id in found:
            continue
        if not _fires(c, thresholds, lambda x: x.latest):
            continue
        at_first = c.could_be_found and _fires(c, thresholds, lambda x: x.first)
        (found if at_first else live).add(c.post.post_id)
    result = Score(thresholds, account_months=account_months)
    truth = {p.post_id: p for p in posts}
    for post_id in live | found:
        if not truth[post_id].is_viral:
            result.false_alarms += 1
        elif post_id in found:
            result.found_at_connection += 1
    first_seen: dict[str, datetime] = {}
    for p in posts:
        if p.snapshots:
            first = p.snapshots[0][0]
            first_seen[p.account] = min(first_seen.get(p.account, first), first)
    for p in posts:
        took_off_live = (p.is_viral and p.viral_at is not None and p.snapshots
                         and p.viral_at > first_seen[p.account]
                         and p.viral_at <= p.snapshots[-1][0] - timedelta(hours=1))
        if took_off_live:
            result.viral_posts += 1
            result.caught += p.post_id in live
    return result


def merge(scores: list[Score]) -> Score:
    """One score over several worlds (sums, so the rates are over all their posts)."""
    total = Score(scores[0].thresholds)
    for s in scores:
        total.viral_posts += s.viral_posts
        total.caught += s.caught
        total.false_alarms += s.false_alarms
        total.account_months += s.account_months
        total.found_at_connection += s.found_at_connection
    return total
