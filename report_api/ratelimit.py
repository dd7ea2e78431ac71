"""Per-user rate limits with the ``limits`` library: moving window, Redis when configured.

With ``REDIS_URL`` every API process shares one window per user; without it each process
keeps its own (MemoryStorage). A Redis outage falls back to the in-process window for that
request and is logged, rather than failing or un-limiting requests.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

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

    def __init__(self, settings: ApiSettings):
        self.user_limit: RateLimitItem = parse(settings.rate_limit)
        self.login_limit: RateLimitItem = parse(settings.login_rate_limit)
        storage: Storage
        if settings.redis_url:
            storage = RedisStorage(settings.redis_url, wrap_exceptions=True,
                                   key_prefix=f"{settings.redis_key_prefix}:ratelimit",
                                   socket_timeout=1, socket_connect_timeout=1)
        else:
            storage = MemoryStorage()
        self.shared = settings.redis_url is not None
        self._limiter = MovingWindowRateLimiter(storage)
        self._local = MovingWindowRateLimiter(MemoryStorage())

    def check(self, item: RateLimitItem, key: str) -> Decision:
        try:
            return self._decide(self._limiter, item, key)
        except StorageError as exc:
            log.warning("rate-limit storage unavailable, limiting in-process: %s", exc)
            return self._decide(self._local, item, key)

    @staticmethod
    def _decide(limiter: MovingWindowRateLimiter, item: RateLimitItem, key: str) -> Decision:
        allowed = limiter.hit(item, key)
        stats = limiter.get_window_stats(item, key)
        retry = max(1, math.ceil(stats.reset_time - time.time())) if not allowed else 0
        return Decision(allowed, item.amount, max(0, stats.remaining), retry)
