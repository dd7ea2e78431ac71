"""Redis response cache for the overview and trending endpoints.

Keys: ``<prefix>:cache:v<marts version>:api<major>:<endpoint>:u<user>:<hash of params and
scope>``. The marts version is bumped by Dagster after each dbt build
(socialpulse.cache_version), so a refresh invalidates every entry at once; a TTL bounds
staleness if a bump is ever missed. Without ``REDIS_URL`` nothing is cached; a Redis outage
means a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

import redis

from report_api import __version__
from report_api.breaker import Breaker, redis_options
from report_api.config import ApiSettings
from socialpulse.cache_version import version_key

log = logging.getLogger(__name__)
# two API versions sharing one Redis during a deploy never serve each other's shapes
_API_MAJOR = __version__.split(".")[0]


class ResponseCache:
    def __init__(self, settings: ApiSettings, breaker: Breaker | None = None):
        self.prefix = settings.redis_key_prefix
        self.ttl = settings.cache_ttl_seconds
        self.client = (redis.Redis.from_url(settings.redis_url, **redis_options(settings))
                       if settings.redis_url else None)
        self.breaker = breaker or Breaker()

    def key(self, version: int, endpoint: str, user_id: int, params: dict[str, Any]) -> str:
        digest = hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode())
        return (f"{self.prefix}:cache:v{version}:api{_API_MAJOR}:{endpoint}:u{user_id}:"
                f"{digest.hexdigest()[:32]}")

    def get_or_compute(self, endpoint: str, user_id: int, params: dict[str, Any],
                       compute: Callable[[], dict]) -> tuple[dict, str]:
        """The cached value or a freshly computed one; second item: hit | miss | off."""
        if self.client is None or not self.breaker.available():
            return compute(), "off"
        try:
            version = int(self.client.get(version_key(self.prefix)) or 0)
            key = self.key(version, endpoint, user_id, params)
            raw = self.client.get(key)
            if raw is not None:
                return json.loads(raw), "hit"
        except redis.RedisError as exc:
            log.warning("response cache unavailable: %s", exc)
            self.breaker.trip()
            return compute(), "off"
        value = compute()
        try:
            self.client.set(key, json.dumps(value, default=str), ex=self.ttl)
        except redis.RedisError as exc:
            log.warning("could not store a cached response: %s", exc)
            self.breaker.trip()
        return value, "miss"

    def ping(self) -> bool | None:
        """True/False for Redis reachability, None when not configured."""
        if self.client is None:
            return None
        try:
            return bool(self.client.ping())
        except redis.RedisError:
            self.breaker.trip()
            return False

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
