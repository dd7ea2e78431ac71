"""Redis as an optional dependency: short timeouts, no retries and a cool-down after failure.

A hung Redis (accepts, never answers) must cost milliseconds, not the client's default retries
with back-off: every call has ``REDIS_TIMEOUT_MS`` for connect and socket, and after a failure
Redis is skipped for a few seconds (no cache, in-process limits), so a request under an outage
pays nothing at all.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from redis.backoff import NoBackoff
from redis.retry import Retry

from report_api.config import ApiSettings

COOL_DOWN_SECONDS = 5.0


def redis_options(settings: ApiSettings) -> dict[str, Any]:
    """Client options for redis-py (and the ``limits`` Redis storage)."""
    timeout = settings.redis_timeout_ms / 1000
    return {"socket_timeout": timeout, "socket_connect_timeout": timeout,
            "retry": Retry(NoBackoff(), 0)}


class Breaker:
    """Open (skip Redis) for ``cool_down`` seconds after a failure."""

    def __init__(self, cool_down: float = COOL_DOWN_SECONDS):
        self.cool_down = cool_down
        self._until = 0.0
        self._lock = threading.Lock()

    def available(self) -> bool:
        return time.monotonic() >= self._until

    def trip(self) -> None:
        with self._lock:
            self._until = time.monotonic() + self.cool_down
