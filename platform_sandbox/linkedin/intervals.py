"""Time-bound LinkedIn statistics: the ``timeIntervals`` parameter and its day/month buckets."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from platform_sandbox.linkedin.render import LinkedInError, from_ms

# Rest.li 2.0: timeIntervals=(timeRange:(start:1,end:2),timeGranularityType:DAY)
_RESTLI2 = re.compile(r"^\(timeRange:\(start:(\d+)(?:,end:(\d+))?\),timeGranularityType:(\w+)\)$"
                      r"|^\(timeGranularityType:(\w+),timeRange:\(start:(\d+)(?:,end:(\d+))?\)\)$")
HISTORY = timedelta(days=365)


def _invalid() -> LinkedInError:
    return LinkedInError(400, {"serviceErrorCode": 0, "message": "Invalid timeIntervals parameter",
                               "status": 400})


def time_intervals(params) -> tuple[datetime, datetime | None, str] | None:
    """(start, end, granularity) from either the 2.0 tuple or the dotted 1.0 form; None when
    the request is not time-bound."""
    raw = params.get("timeIntervals")
    if raw is not None:
        m = _RESTLI2.match(raw)
        if not m:
            raise _invalid()
        start, end, gran = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (
            m.group(5), m.group(6), m.group(4))
    elif "timeIntervals.timeRange.start" in params:
        start = params.get("timeIntervals.timeRange.start")
        end = params.get("timeIntervals.timeRange.end")
        gran = params.get("timeIntervals.timeGranularityType", "DAY")
    else:
        return None
    if gran not in ("DAY", "MONTH") or not str(start).isdigit() or (end and not end.isdigit()):
        raise _invalid()
    return from_ms(int(start)), from_ms(int(end)) if end else None, gran


def _next(t: datetime, granularity: str) -> datetime:
    if granularity == "DAY":
        return t + timedelta(days=1)
    return t.replace(year=t.year + t.month // 12, month=t.month % 12 + 1)


def buckets(start: datetime, end: datetime | None, granularity: str, now: datetime,
            min_age: timedelta) -> list[tuple[datetime, datetime]]:
    """Complete buckets from ``start`` (aligned to the UTC day or month) to ``end``/now.

    The start must lie in the last 12 months and at least ``min_age`` before now (share
    statistics are available only two days behind), else 400 Invalid timeIntervals parameter.
    """
    if start < now - HISTORY or start > now - min_age or (end is not None and end <= start):
        raise _invalid()
    lo = start.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if granularity == "MONTH":
        lo = lo.replace(day=1)
    stop = min(end or now, now)
    out = []
    while (hi := _next(lo, granularity)) <= stop:
        out.append((lo, hi))
        lo = hi
    return out
