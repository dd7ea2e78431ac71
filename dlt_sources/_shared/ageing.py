"""Polling that ages: young posts are re-read every cycle, older ones less and less often.

Most of a post's engagement arrives in its first hours, yet re-reading every post of the
lookback window every cycle is most of a cycle's requests and snapshot rows. A schedule is a
list of (age, interval) tiers: a post younger than the tier's age is due once ``interval`` has
passed since its last observation. The default, ``6h:0s,2d:1h,28d:1d``, polls a post every
cycle for its first 6 hours, hourly to 2 days and daily to the end of the window.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

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

    def is_due(self, created_at: datetime, last_observed_at: datetime | None,
               now: datetime) -> bool:
        """True when a post is re-read this cycle: never observed, or its tier's interval
        (less the drift allowance) has passed since the last observation."""
        if last_observed_at is None:
            return True
        interval = self.interval(now - created_at)
        return now - last_observed_at >= interval * DUE_FRACTION
