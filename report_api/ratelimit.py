"""Rate limits with the ``limits`` library: moving window, Redis when configured.

With ``REDIS_URL`` every API process shares one window per key; without it each process keeps
its own (MemoryStorage). A Redis outage falls back to the in-process window (and Redis is
skipped for a cool-down, see :mod:`report_api.breaker`) rather than failing or un-limiting
requests.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter
from starlette.concurrency import run_in_threadpool

from report_api.breaker import Breaker, redis_options
from report_api.config import ApiSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int


class RateLimiter:
    """One limiter per app; ``check`` counts a hit and says whether it is allowed."""

    def __init__(self, settings: ApiSettings, breaker: Breaker | None = None):
        self.user_limit: RateLimitItem = parse(settings.rate_limit)
        self.login_limit: RateLimitItem = parse(settings.login_rate_limit)
        self.anon_limit: RateLimitItem = parse(settings.anon_rate_limit)
        self.account_limits: list[RateLimitItem] = parse_many(settings.login_account_rate_limit)
        storage: Storage
        if settings.redis_url:
            storage = RedisStorage(settings.redis_url, wrap_exceptions=True,
                                   key_prefix=f"{settings.redis_key_prefix}:ratelimit",
                                   **redis_options(settings))
        else:
            storage = MemoryStorage()
        self.shared = settings.redis_url is not None
        self.breaker = breaker or Breaker()
        self._limiter = MovingWindowRateLimiter(storage)
        self._local = MovingWindowRateLimiter(MemoryStorage())

    def _backend(self) -> MovingWindowRateLimiter:
        return self._limiter if self.breaker.available() else self._local

    def check(self, item: RateLimitItem, key: str, hit: bool = True) -> Decision:
        """Count a hit (or, with ``hit=False``, only test) against ``item`` for ``key``."""
        try:
            return self._decide(self._backend(), item, key, hit)
        except StorageError as exc:
            log.warning("rate-limit storage unavailable, limiting in-process: %s", exc)
            self.breaker.trip()
            return self._decide(self._local, item, key, hit)

    async def acheck(self, item: RateLimitItem, key: str, hit: bool = True) -> Decision:
        """``check`` without blocking the event loop on a network round trip."""
        if self.shared and self.breaker.available():
            return await run_in_threadpool(self.check, item, key, hit)
        return self.check(item, key, hit)

    @staticmethod
    def _decide(limiter: MovingWindowRateLimiter, item: RateLimitItem, key: str,
                hit: bool) -> Decision:
        allowed = limiter.hit(item, key) if hit else limiter.test(item, key)
        stats = limiter.get_window_stats(item, key)
        retry = max(1, math.ceil(stats.reset_time - time.time())) if not allowed else 0
        return Decision(allowed, item.amount, max(0, stats.remaining), retry)
