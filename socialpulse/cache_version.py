"""The marts version that keys the report API's Redis response cache.

Dagster calls :func:`bump_marts_version` after each successful dbt build: every cached
response was keyed with the previous version, so the next request recomputes from the fresh
marts (old entries simply expire). Without ``REDIS_URL`` there is no cache and nothing to bump.
"""

from __future__ import annotations

import logging

from pydantic_settings import BaseSettings, SettingsConfigDict

from socialpulse.settings import PROJECT_ROOT

log = logging.getLogger(__name__)


class _CacheSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env", env_ignore_empty=True, extra="ignore")

    redis_url: str | None = None
    redis_key_prefix: str = "socialpulse"


def version_key(prefix: str) -> str:
    """Redis key holding the marts version under a key prefix."""
    return f"{prefix}:marts_version"


def bump_marts_version(redis_url: str | None = None, key_prefix: str | None = None) -> int | None:
    """Increment the marts version; returns it, or None when no Redis is configured.

    A Redis outage is logged, not raised: a failed bump only delays cache invalidation until
    the entries' TTL (``CACHE_TTL_SECONDS``) runs out, and must not fail the dbt run.
    """
    import redis

    settings = _CacheSettings()
    url = redis_url or settings.redis_url
    if not url:
        return None
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    try:
        return int(client.incr(version_key(key_prefix or settings.redis_key_prefix)))
    except redis.RedisError as exc:
        log.warning("could not bump the marts cache version in Redis: %s", exc)
        return None
    finally:
        client.close()
