"""Database size for a number of accounts after a year, from measured bytes per row.

Snapshot rows are counted, not guessed: a post's polls follow the ageing schedule (every
15-minute cycle for its first 6 hours, hourly to 2 days, daily to 28 days: POLL_SCHEDULE's
default), an account is observed every cycle; retention keeps what socialpulse.retention keeps
(the last row of each UTC day, the first of each week) once the week ends more than
SNAPSHOT_RETENTION_DAYS before the latest observation. Bytes per snapshot row (raw and
intermediate, with their indexes) and the other bytes per post come from benchmarks/storage.py.

    .venv/bin/python benchmarks/storage_year.py --raw-row 428 --int-row 1273 --other-post 5700
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

from socialpulse.partitions import week_start

CYCLE = timedelta(minutes=15)
TIERS = ((timedelta(hours=6), CYCLE), (timedelta(days=2), timedelta(hours=1)),
         (timedelta(days=28), timedelta(days=1)))
YEAR_START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
# the networks' published posting frequencies (platform_sandbox/world_benchmarks.py), per week
POSTS_PER_WEEK = {"twitter": 7.0, "instagram": 4.5, "facebook": 5.0, "linkedin": 2.5}


def polls(created: datetime) -> list[datetime]:
    """A post's observation times: the first cycle after it appeared, then by its age tier."""
    at = created + CYCLE - (created - YEAR_START) % CYCLE
    times = []
    while at - created < TIERS[-1][0]:
        times.append(at)
        step = next(interval for age, interval in TIERS if at - created < age)
        at += step
    return times


def kept(times: list[datetime]) -> int:
    """Rows retention keeps of one object's observations (all before the cutoff)."""
    last_of_day = {t.date(): t for t in times}
    first_of_week: dict[datetime, datetime] = {}
    for t in times:
        first_of_week.setdefault(week_start(t), t)
    return len(set(last_of_day.values()) | set(first_of_week.values()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--retention-days", type=int, default=35)
    parser.add_argument("--raw-row", type=float, required=True, help="B per raw snapshot row")
    parser.add_argument("--int-row", type=float, required=True,
                        help="B per intermediate snapshot row")
    parser.add_argument("--other-post", type=float, required=True,
                        help="B per post outside the snapshot tables")
    parser.add_argument("--posts-per-day", type=float, default=None,
                        help="per account (default: the networks' published frequencies)")
    args = parser.parse_args()
    per_day = args.posts_per_day or sum(POSTS_PER_WEEK.values()) / len(POSTS_PER_WEEK) / 7
    posts = args.accounts * per_day * args.days
    # posts spread over the hours of a day: the mean over 96 creation times
    samples = [YEAR_START + timedelta(minutes=7 + 15 * i) for i in range(96)]
    full = sum(len(polls(c)) for c in samples) / len(samples)
    thinned = sum(kept(polls(c)) for c in samples) / len(samples)
    # the posts of the last retention days + up to a week are not thinned yet
    hot = min(1.0, (args.retention_days + 7) / args.days)
    post_rows = {"none": posts * full, "retention": posts * (hot * full + (1 - hot) * thinned)}
    account_times = [YEAR_START + CYCLE * i for i in range(int(timedelta(days=7) / CYCLE))]
    account_per_day = {"none": 96.0, "retention": kept(account_times) / 7}
    row = args.raw_row + args.int_row
    for policy in ("none", "retention"):
        account_rows = args.accounts * args.days * (
            account_per_day[policy] if policy == "none" else
            hot * 96 + (1 - hot) * account_per_day[policy])
        size = (posts * args.other_post + (post_rows[policy] + account_rows) * row) / 1e9
        print(f"{policy:9}: {posts:,.0f} posts ({per_day:.2f}/account/day), "
              f"{post_rows[policy] / posts:.1f} snapshot rows per post, "
              f"{account_rows:,.0f} account snapshot rows, {size:,.1f} GB")


if __name__ == "__main__":
    main()
