"""Rate limit (100/minute per user, moving window; shared through Redis across processes) and
the Redis response cache invalidated by the marts version."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from api_helpers import JWT_SECRET, settings, token, wait_for

from platform_sandbox.process import free_port

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not _redis_available(), reason=f"no Redis at {REDIS_URL}")


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test run only (parallel runs never share counters)."""
    value = f"sp-test-{uuid.uuid4().hex[:12]}"
    yield value
    if _redis_available():
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{value}:*"):
            client.delete(key)


def _assert_429(r: httpx.Response) -> None:
    assert r.status_code == 429, r.text
    assert r.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert r.headers["x-ratelimit-remaining"] == "0"


def test_the_101st_request_in_a_minute_is_429_in_process(world):
    from fastapi.testclient import TestClient

    from report_api.main import create_app

    app = create_app(settings(rate_limit="100/minute"), database_url=world.url)
    admin = {"Authorization": f"Bearer {token(world.users['admin_a'])}"}
    other = {"Authorization": f"Bearer {token(world.users['admin_b'])}"}
    with TestClient(app) as c:
        remaining = [c.get("/api/auth/me", headers=admin) for _ in range(100)]
        assert all(r.status_code == 200 for r in remaining)
        assert [int(r.headers["x-ratelimit-remaining"]) for r in remaining[:3]] == [99, 98, 97]
        _assert_429(c.get("/api/dashboard/overview", headers=admin))
        assert c.get("/api/auth/me", headers=other).status_code == 200  # per user
        assert c.get("/healthz").status_code == 200  # not rate limited


def _serve(port: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "report_api.main:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@needs_redis
def test_the_limit_holds_across_two_api_processes_sharing_redis(world, prefix):
    env = {**os.environ, "JWT_SECRET": JWT_SECRET, "DATABASE_URL": world.url,
           "REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": prefix, "RATE_LIMIT": "100/minute",
           "PYTHONPATH": str(ROOT)}
    ports = [free_port(), free_port()]
    procs = [_serve(p, env) for p in ports]
    try:
        urls = [f"http://127.0.0.1:{p}" for p in ports]

        def up() -> bool:
            for proc in procs:
                if proc.poll() is not None:
                    raise AssertionError(proc.stderr.read().decode()[-2000:])
            try:
                return all(httpx.get(f"{u}/healthz", timeout=2).json()["redis"] == "ok"
                           for u in urls)
            except httpx.HTTPError:
                return False

        wait_for(up, timeout=30)
        headers = {"Authorization": f"Bearer {token(world.users['admin_a'])}"}
        with httpx.Client(headers=headers, timeout=10) as http:
            for i in range(100):
                r = http.get(f"{urls[i % 2]}/api/auth/me")
                assert r.status_code == 200, (i, r.text)
            _assert_429(http.get(f"{urls[0]}/api/auth/me"))
            _assert_429(http.get(f"{urls[1]}/api/dashboard/overview"))
        other = {"Authorization": f"Bearer {token(world.users['admin_b'])}"}
        assert httpx.get(f"{urls[1]}/api/auth/me", headers=other).status_code == 200
        keys = list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}:ratelimit*"))
        assert keys  # the window lives in Redis, not in either process
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(10)


@needs_redis
def test_overview_and_trending_are_cached_until_the_marts_version_moves(world, prefix):
    from fastapi.testclient import TestClient

    from report_api.main import create_app
    from socialpulse.cache_version import bump_marts_version

    app = create_app(settings(redis_url=REDIS_URL, redis_key_prefix=prefix),
                     database_url=world.url)
    admin = {"Authorization": f"Bearer {token(world.users['admin_a'])}"}
    viewer = {"Authorization": f"Bearer {token(world.users['viewer_a'])}"}
    with TestClient(app) as c:
        for path in ("/api/dashboard/overview", "/api/analytics/trending-hashtags"):
            first = c.get(path, headers=admin)
            assert first.status_code == 200 and first.headers["x-cache"] == "miss"
            second = c.get(path, headers=admin)
            assert second.headers["x-cache"] == "hit" and second.json() == first.json()
            assert c.get(path, headers=viewer).headers["x-cache"] == "miss"  # per user
            assert c.get(path, headers=admin,
                         params={"platform": "twitter"}).headers["x-cache"] == "miss"
        version = bump_marts_version(REDIS_URL, prefix)
        assert version == 1
        for path in ("/api/dashboard/overview", "/api/analytics/trending-hashtags"):
            assert c.get(path, headers=admin).headers["x-cache"] == "miss"
            assert c.get(path, headers=admin).headers["x-cache"] == "hit"
        assert c.get("/healthz").json()["redis"] == "ok"


def test_bump_without_redis_is_a_no_op(monkeypatch):
    from socialpulse import cache_version

    blank = cache_version._CacheSettings.model_construct(redis_url=None,
                                                         redis_key_prefix="unused")
    monkeypatch.setattr(cache_version, "_CacheSettings", lambda: blank)
    assert cache_version.bump_marts_version() is None


def test_unreachable_redis_degrades_instead_of_failing(world):
    from fastapi.testclient import TestClient

    from report_api.main import create_app

    dead = f"redis://127.0.0.1:{free_port()}/0"
    app = create_app(settings(redis_url=dead, rate_limit="100/minute"), database_url=world.url)
    admin = {"Authorization": f"Bearer {token(world.users['admin_a'])}"}
    with TestClient(app) as c:
        r = c.get("/api/dashboard/overview", headers=admin)
        assert r.status_code == 200 and r.headers["x-cache"] == "off"
        health = c.get("/healthz").json()
        assert health == {"status": "degraded", "database": "ok", "redis": "unreachable"}
