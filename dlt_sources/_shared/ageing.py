"""Polling that ages: young posts are re-read every cycle, older ones less and less often.

Most of a post's engagement arrives in its first hours, yet re-reading every post of the
lookback window every cycle is most of a cycle's requests and snapshot rows. A schedule is a
list of (age, interval) tiers: a post younger than the tier's age is due once ``interval`` has
passed since its last observation. The default, ``6h:0s,2d:1h,28d:1d``, polls a post every
cycle for its first 6 hours, hourly to 2 days and daily to the end of the window.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Container
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from dlt_sources._shared.contract import Table
from dlt_sources._shared.warehouse import window_posts

DEFAULT_POLL_SCHEDULE = "6h:0s,2d:1h,28d:1d"
# a cycle that starts a little early must not push a post to the cycle after (15-minute
# cycles drift by seconds): a post is due once 90 % of its interval has passed
DUE_FRACTION = 0.9
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")


def parse_duration(text: str) -> timedelta:
    """``"6h"`` -> 6 hours; units s, m, h, d. A ValueError names a malformed duration."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"poll schedule: {text!r} is not a duration like 30m, 6h or 2d")
    return timedelta(**{_UNITS[match.group(2)]: float(match.group(1))})


@dataclass(frozen=True)
class PollSchedule:
    """(age limit, interval) tiers in ascending age; older posts take the last interval."""

    tiers: tuple[tuple[timedelta, timedelta], ...]

    @classmethod
    def parse(cls, text: str) -> PollSchedule:
        """``"6h:0s,2d:1h,28d:1d"``: posts younger than 6 h every cycle, younger than 2 days
        hourly, older daily. A ValueError says what is wrong."""
        tiers = []
        for part in filter(None, (p.strip() for p in str(text).split(","))):
            age, sep, interval = part.partition(":")
            if not sep:
                raise ValueError(f"poll schedule: {part!r} is not age:interval (e.g. 2d:1h)")
            tiers.append((parse_duration(age), parse_duration(interval)))
        if not tiers:
            raise ValueError("poll schedule is empty: give age:interval tiers, e.g. 6h:0s")
        if [a for a, _ in tiers] != sorted(a for a, _ in tiers):
            raise ValueError(f"poll schedule {text!r}: ages must ascend")
        return cls(tuple(tiers))

    def interval(self, age: timedelta) -> timedelta:
        """How often a post of this age is re-read."""
        for limit, interval in self.tiers:
            if age < limit:
                return interval
        return self.tiers[-1][1]

    @property
    def slowest(self) -> timedelta:
        """The interval of the oldest posts."""
        return self.tiers[-1][1]

    def hot_age(self) -> timedelta:
        """Posts younger than this are polled more often than the oldest ones."""
        return max((a for a, i in self.tiers if i < self.slowest), default=timedelta(0))

    def is_due(self, created_at: datetime, last_observed_at: datetime | None,
               now: datetime) -> bool:
        """True when a post is re-read this cycle: never observed, or its tier's interval
        (less the drift allowance) has passed since the last observation."""
        if last_observed_at is None:
            return True
        interval = self.interval(now - created_at)
        return now - last_observed_at >= interval * DUE_FRACTION


class WindowPolls:
    """The loaded posts of one table's lookback window with their last observation, read in
    one query per run (the first account's window start), and which of them are due. With
    ``accounts`` (a run of a few accounts) only theirs are read; an account outside them is
    read on its own when asked for."""

    def __init__(self, url: str, dataset: str, posts: Table, snapshots: Table,
                 schedule: PollSchedule, carried: tuple[str, ...] = (),
                 accounts: Collection[str] | None = None):
        self.url, self.dataset, self.posts_table, self.snapshots = url, dataset, posts, snapshots
        self.schedule, self.carried = schedule, carried
        self.accounts = None if accounts is None else frozenset(accounts)
        self._by_account: dict[str, dict[str, dict[str, Any]]] | None = None

    def _read(self, since: datetime, accounts: Collection[str] | None) -> None:
        if self._by_account is None:
            self._by_account = defaultdict(dict)
        by_account = self._by_account
        for account in accounts or ():
            by_account.setdefault(account, {})
        for post_id, post in window_posts(self.url, self.dataset, self.posts_table,
                                          self.snapshots, since, self.carried,
                                          accounts).items():
            by_account[post["account_id"]][post_id] = post

    def posts(self, account_id: str, since: datetime) -> dict[str, dict[str, Any]]:
        """An account's loaded posts created after ``since``, by id, oldest first."""
        if self._by_account is None:
            self._read(since, self.accounts)
        assert self._by_account is not None
        if self.accounts is not None and account_id not in self._by_account:
            self._read(since, [account_id])
        return {i: p for i, p in self._by_account.get(account_id, {}).items()
                if p["created_at"] >= since}

    def due(self, account_id: str, since: datetime, now: datetime,
            skip: Container[str] = ()) -> list[str]:
        """Ids of an account's window posts that are due at ``now`` (``skip`` left out)."""
        return [i for i, p in self.posts(account_id, since).items() if i not in skip
                and self.schedule.is_due(p["created_at"], p["observed_at"], now)]
