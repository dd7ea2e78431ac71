"""Graph's usage headers, read on every response: slow down before a budget is spent, and stop
calling once it is.

Graph reports what a call used as percentages of rolling budgets: ``X-App-Usage`` (the app, all
tokens), ``X-Business-Use-Case-Usage`` (per business object: a Page or an Instagram account) and
``X-Page-Usage`` (the Page of a Page token), each with ``call_count``, ``total_cputime`` and
``total_time``; the last two also name ``estimated_time_to_regain_access`` (minutes). Above
``pace_at`` percent, calls on that budget are spaced ``60 / pace_per_minute`` seconds apart (a
pyrate-limiter bucket per budget). At 100 % no further call is made on it: the app's budget
stops the whole source, a token's (its Page or Instagram account) only the accounts read with
that token, until the time to regain access (an hour when no header names one); a token's
budget that comes back within a minute is only paced.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pyrate_limiter import Limiter, Rate
from requests import Response

from dlt_sources._shared.errors import RateLimited

log = logging.getLogger(__name__)
APP = "app"
MEASURES = ("call_count", "total_cputime", "total_time")
DEFAULT_REGAIN = timedelta(hours=1)


def _json(response: Response, header: str) -> object:
    try:
        return json.loads(response.headers.get(header) or "null")
    except ValueError:
        return None


def _pct(entry: object) -> tuple[int, int]:
    """(highest measure in percent, minutes to regain access) of one usage entry."""
    if not isinstance(entry, dict):
        return 0, 0
    values = [int(float(entry.get(m) or 0)) for m in MEASURES]
    return max(values, default=0), int(float(entry.get("estimated_time_to_regain_access") or 0))


def read_usage(response: Response) -> dict[str, tuple[int, int]]:
    """{budget: (percent used, minutes to regain access)}: ``app`` for X-App-Usage, ``token``
    for the highest of X-Page-Usage and X-Business-Use-Case-Usage (the business objects a
    token reads are its own Page or Instagram account). Missing or malformed headers are left
    out: Graph omits them on many answers."""
    usage: dict[str, tuple[int, int]] = {}
    app = _json(response, "X-App-Usage")
    if isinstance(app, dict):
        usage[APP] = _pct(app)
    token = [_pct(_json(response, "X-Page-Usage"))] if response.headers.get(
        "X-Page-Usage") else []
    buc = _json(response, "X-Business-Use-Case-Usage")
    if isinstance(buc, dict):
        token += [_pct(e) for entries in buc.values() if isinstance(entries, list)
                  for e in entries]
    if token:
        usage["token"] = max(token)
    return usage


@dataclass
class UsageGovernor:
    """What the usage headers said so far in this run, per budget (``app`` or a token's
    account id): pacing above ``pace_at`` percent, a stop at 100 %."""

    pace_at: int = 80
    pace_per_minute: int = 60
    short_minutes: int = 1
    used: dict[str, int] = field(default_factory=dict)
    stopped: dict[str, RateLimited] = field(default_factory=dict)
    _limiters: dict[str, Limiter] = field(default_factory=dict)

    def observe(self, response: Response, token_key: str, now: datetime) -> None:
        """Take in one response's usage headers (success or refusal alike)."""
        for budget, (pct, regain) in read_usage(response).items():
            key = APP if budget == APP else token_key
            previous = self.used.get(key, 0)
            self.used[key] = pct
            # a token's budget at 100 % that comes back within a minute is only paced
            spent = pct >= 100 and (key == APP or regain > self.short_minutes)
            if spent and key not in self.stopped:
                until = now + (timedelta(minutes=regain) if regain else DEFAULT_REGAIN)
                what = "the app's" if key == APP else "this account's (its token's)"
                self.stopped[key] = RateLimited(
                    f"Graph usage headers put {what} budget at {pct} %: no call until "
                    f"{until.isoformat()} (estimated_time_to_regain_access {regain} min)", until,
                    app_wide=key == APP)
                log.warning("%s", self.stopped[key])
            elif pct >= self.pace_at > previous:
                log.warning("Graph usage of %s at %d %%: pacing its calls to %d a minute",
                            key, pct, self.pace_per_minute)

    def before_call(self, token_key: str) -> None:
        """Raise RateLimited for a spent budget; wait when a budget is above ``pace_at``."""
        for key in (APP, token_key):
            if key in self.stopped:
                stop = self.stopped[key]
                raise RateLimited(str(stop), stop.retry_at, app_wide=stop.app_wide)
        for key in (APP, token_key):
            if self.used.get(key, 0) >= self.pace_at:
                self._limiter(key).try_acquire(key)

    def _limiter(self, key: str) -> Limiter:
        if key not in self._limiters:
            # one call per interval: evenly spaced calls, no burst (pyrate-limiter's window)
            interval_ms = max(1, int(60_000 / max(1, self.pace_per_minute)))
            self._limiters[key] = Limiter(Rate(1, interval_ms))
        return self._limiters[key]
