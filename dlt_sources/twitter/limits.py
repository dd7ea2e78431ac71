"""X's refusals that stop calls for a while: the app's monthly usage cap (every call of the app,
until the period resets) and a token's exhausted 15-minute windows (until ``x-rate-limit-reset``,
waited for when it is near, else that token's calls to the endpoint stop)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from requests import Response

from dlt_sources._shared.errors import RateLimited
from dlt_sources._shared.http import redact, server_time
from dlt_sources.twitter import settings

log = logging.getLogger(__name__)
# indirection so tests can move the sandbox's simulated clock instead of sleeping
sleep = time.sleep


class UsageCapped(RateLimited):
    """The X app's monthly usage cap is spent: no X call of the app succeeds before the next
    period, so none is made and nothing is retried."""

    def __init__(self, message: str, retry_at: datetime | None = None):
        super().__init__(message, retry_at, app_wide=True)


def error_text(response: Response) -> str:
    """Status plus what X says (problem title/detail, ``errors``, OAuth ``error`` fields)."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    if not isinstance(body, dict):
        return f"HTTP {response.status_code}"
    parts = [body.get("title"), body.get("detail"), body.get("error"),
             body.get("error_description")]
    parts += [e.get("message") or e.get("detail") for e in body.get("errors") or []
              if isinstance(e, dict)]
    text = "; ".join(str(p) for p in parts if p)
    return redact(f"HTTP {response.status_code}: {text}"[:500])


def is_usage_capped(response: Response) -> bool:
    """A 429 whose problem type is usage-capped (a monthly cap, not a 15-minute window)."""
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and str(body.get("type", "")).endswith("/usage-capped")


def next_month(now: datetime) -> datetime:
    """When a monthly cap period resets: the first instant of the next UTC month."""
    first = datetime(now.year, now.month, 1, tzinfo=UTC)
    return (first + timedelta(days=32)).replace(day=1)


def reset_at(response: Response) -> datetime | None:
    """``x-rate-limit-reset`` (epoch seconds) as a datetime, None when absent."""
    reset = response.headers.get("x-rate-limit-reset")
    return datetime.fromtimestamp(int(reset), UTC) if reset and reset.isdigit() else None


@dataclass
class _Window:
    reset_at: datetime
    server_now: datetime
    seen_monotonic: float

    def seconds_left(self) -> float:
        """Seconds to the reset on the server's clock, advanced by the time since it was seen
        (one second more: both headers are whole seconds)."""
        now = self.server_now + timedelta(seconds=time.monotonic() - self.seen_monotonic)
        return (self.reset_at - now).total_seconds() + 1


@dataclass
class AppLimits:
    """The limits of one X app in one run, shared by every token: the usage cap, how long a
    reset may be waited for, and the back-off of 429s that reset at once."""

    max_wait_s: float = settings.DEFAULT_MAX_RATE_LIMIT_WAIT_S
    max_attempts: int = 6
    backoff_factor: float = 0.5
    max_retry_delay: float = 30.0
    capped: UsageCapped | None = None

    def check_cap(self) -> None:
        """Raise the usage cap once one call has met it: the other calls would meet it too."""
        if self.capped is not None:
            raise UsageCapped(str(self.capped), self.capped.retry_at)

    def cap(self, endpoint: str, response: Response) -> UsageCapped:
        """Remember the app's usage cap; every later call of the run stops at ``check_cap``."""
        until = next_month(server_time(response))
        self.capped = UsageCapped(
            f"X app usage cap reached ({error_text(response)}): no X call is made until the "
            f"period resets at {until.isoformat()} (upgrade the X plan to lift it sooner)",
            retry_at=until)
        log.warning("x %s: %s", endpoint, self.capped)
        return self.capped

    def backoff(self, attempt: int) -> float:
        """Seconds before retrying a 429 whose window resets at once (exponential, capped)."""
        return min(self.max_retry_delay, self.backoff_factor * 2 ** attempt)


@dataclass
class TokenLimits:
    """One token's windows per endpoint: exhausted ones (remaining 0) and blocked ones."""

    app: AppLimits
    _windows: dict[str, _Window] = field(default_factory=dict)
    _blocked: dict[str, RateLimited] = field(default_factory=dict)

    def note(self, endpoint: str, response: Response) -> None:
        """Remember an exhausted window (``x-rate-limit-remaining: 0``) for the next call."""
        reset = reset_at(response)
        if response.headers.get("x-rate-limit-remaining") == "0" and reset is not None:
            self._windows[endpoint] = _Window(reset, server_time(response), time.monotonic())

    def before_call(self, endpoint: str) -> None:
        """Stop when the app is capped or this endpoint is blocked; wait for a near reset."""
        self.app.check_cap()
        if endpoint in self._blocked:
            blocked = self._blocked[endpoint]
            raise RateLimited(str(blocked), blocked.retry_at)
        window = self._windows.pop(endpoint, None)
        if window is not None:
            self._wait_or_block(endpoint, window)

    def after_429(self, endpoint: str, response: Response, attempt: int) -> None:
        """Wait for the window's reset when it is near (or back off when it has already
        reset), else block the endpoint for this token and raise RateLimited."""
        reset = reset_at(response)
        if reset is None:
            sleep(self.app.backoff(attempt))
            return
        window = _Window(reset, server_time(response), time.monotonic())
        if window.seconds_left() <= 1:
            sleep(self.app.backoff(attempt))
            return
        self._wait_or_block(endpoint, window)

    def _wait_or_block(self, endpoint: str, window: _Window) -> None:
        wait = window.seconds_left()
        if wait > self.app.max_wait_s:
            self._blocked[endpoint] = RateLimited(
                f"{endpoint}: rate limit window exhausted until {window.reset_at.isoformat()}",
                retry_at=window.reset_at)
            raise self._blocked[endpoint]
        if wait > 0:
            log.info("x %s: rate limit window exhausted, waiting %.0fs", endpoint, wait)
            sleep(wait)
