"""Overload, proxies and a hung Redis, against a real uvicorn (in a thread) on a real Postgres."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from api_helpers import live_server, settings, token


def _app(world, **overrides):
    from report_api.main import create_app

    return create_app(settings(**overrides), database_url=world.url)


async def _burst(url: str, requests: list[tuple[str, str, dict]]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(requests))
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as c:
        return await asyncio.gather(*(c.request(m, p, headers=h) for m, p, h in requests))


def test_a_burst_of_80_requests_answers_without_5xx(world):
    """80 requests in flight (more than the pool's 10 connections and anyio's 40 threads
    together): none may wait on the pool from a worker thread and lock the process."""
    admin = {"Authorization": f"Bearer {token(world.users['admin_a'])}"}
    paths = ["/api/dashboard/overview", "/api/analytics/trending-hashtags", "/api/auth/me"]
    requests = [("GET", paths[i % 3], admin) for i in range(60)]
    requests += [("GET", "/api/dashboard/overview", {}) for _ in range(20)]
    with live_server(_app(world, db_pool_size=10)) as url:
        started = time.monotonic()
        answers = asyncio.run(_burst(url, requests))
        elapsed = time.monotonic() - started
        health = httpx.get(f"{url}/healthz", timeout=5)
    statuses = [r.status_code for r in answers]
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses[:60] == [200] * 60 and set(statuses[60:]) == {401}
    assert elapsed < 8, elapsed
    assert health.json()["database"] == "ok"


def test_unauthenticated_flood_is_limited_per_address_and_takes_no_connection(world):
    """100 unauthenticated clients: 401 then 429 from their address, none holds a database
    connection (the pool has one), and a logged-in user beside them is answered."""
    admin = {"Authorization": f"Bearer {token(world.users['admin_a'])}"}
    flood = [("GET", "/api/dashboard/overview", {}) for _ in range(100)]
    with live_server(_app(world, db_pool_size=1, anon_rate_limit="30/minute")) as url:
        answers = asyncio.run(_burst(url, [*flood, ("GET", "/api/auth/me", admin)]))
    statuses = [r.status_code for r in answers[:-1]]
    assert statuses.count(401) == 30 and statuses.count(429) == 70, statuses
    assert answers[-1].status_code == 200


def test_an_anonymous_flood_is_shed_before_the_app_while_a_logged_in_user_is_served(world):
    """No token, a forged one or an expired one: 401 from the address's first 30, then 429
    from memory; none of them takes a pool connection, and ten logged-in requests sent in the
    middle of the flood are all answered (each taking exactly one connection)."""
    me = ("GET", "/api/auth/me", {"Authorization": f"Bearer {token(world.users['admin_a'])}"})
    expired = token(world.users["admin_a"], now=time.time() - 7200)
    anonymous = [{}, {"Authorization": "Bearer not.a.token"},
                 {"Authorization": f"Bearer {expired}"}, {"Authorization": "Basic eDp5"}]
    flood = [("GET", "/api/dashboard/overview", anonymous[i % 4]) for i in range(150)]
    app = _app(world, db_pool_size=1, anon_rate_limit="30/minute")
    with live_server(app) as url:
        assert httpx.get(f"{url}/healthz", timeout=5).status_code == 200  # the pool is open
        before = app.state.db.pool().get_stats().get("requests_num", 0)
        answers = asyncio.run(_burst(url, [*flood[:75], *[me] * 10, *flood[75:]]))
        taken = app.state.db.pool().get_stats().get("requests_num", 0) - before
    shed, served = answers[:75] + answers[85:], answers[75:85]
    assert [r.status_code for r in served] == [200] * 10
    assert sorted(r.status_code for r in shed) == [401] * 30 + [429] * 120
    assert taken == 10, taken
    refused = next(r for r in shed if r.status_code == 429)
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.json()["error"]["code"] == "rate_limited"
    assert next(r for r in shed if r.status_code == 401).headers["www-authenticate"] == "Bearer"


def _gate(app):
    from report_api.gate import AnonymousGate

    layer = app.middleware_stack
    while not isinstance(layer, AnonymousGate):
        layer = layer.app
    return layer


def test_refusals_are_held_back_and_beyond_the_budget_close_their_connection(world):
    """A 429 is held (a flooder waiting on it sends nothing); past the budget of held 429s
    they are answered at once with `Connection: close`."""
    app = _app(world, anon_rate_limit="5/minute")
    with live_server(app) as url:
        httpx.get(f"{url}/healthz", timeout=5)  # the middleware stack is built
        gate = _gate(app)
        gate.hold_seconds, gate.hold_max = 0.5, 10
        answers = asyncio.run(_burst(url, [("GET", "/api/auth/me", {})] * 40))
        assert gate.held == 0
    refused = [r for r in answers if r.status_code == 429]
    closed = [r for r in refused if r.headers.get("connection") == "close"]
    assert len(refused) == 35 and len(closed) >= 25 and len(refused) - len(closed) <= 10


def test_the_gate_guards_exactly_the_routes_that_need_a_bearer_token(world):
    """Read from the routes: login, the OAuth callback (session cookie), a trailing-slash
    redirect and unknown paths still reach the app without a token."""
    from fastapi.routing import iter_route_contexts
    from fastapi.testclient import TestClient

    from report_api.deps import token_claims
    from report_api.gate import guarded_patterns

    app = _app(world)
    guarded = {p.pattern for p in guarded_patterns(app.router.routes, token_claims)}
    paths = {c.path for c in iter_route_contexts(app.router.routes)}
    assert "^/api/dashboard/overview$" in guarded and "^/api/reports$" in guarded
    assert not [p for p in guarded if "auth/token" in p or "connections" in p]
    assert "/api/auth/token" in paths
    with TestClient(app) as c:
        assert c.post("/api/auth/token", json={}).status_code == 422
        assert c.get("/api/alerts/", follow_redirects=False).status_code == 307
        assert c.get("/api/no-such-thing").status_code == 404
        r = c.get("/api/reports/00000000-0000-0000-0000-000000000000")
        assert r.status_code == 401 and r.json()["error"]["message"] == "missing bearer token"


def test_healthz_says_overloaded_not_unreachable_when_every_connection_is_busy(world):
    from fastapi.testclient import TestClient

    app = _app(world, db_pool_size=1)
    with TestClient(app) as c:
        assert c.get("/healthz").json()["database"] == "ok"
        c.portal.call(app.state.db.acquire_slot)  # every slot taken (never given back)
        r = c.get("/healthz")
    assert r.status_code == 503
    assert r.json() == {"status": "overloaded", "database": "overloaded", "redis":
                        "not_configured"}


def test_a_spoofed_x_forwarded_for_does_not_reset_the_login_limit(world):
    body = {"email": world.emails["admin_a"], "password": "wrong"}
    with live_server(_app(world, login_rate_limit="3/minute")) as url:
        answers = [httpx.post(f"{url}/api/auth/token", json=body,
                              headers={"X-Forwarded-For": f"203.0.113.{i}"}, timeout=10)
                   for i in range(5)]
    assert [r.status_code for r in answers] == [401, 401, 401, 429, 429]


def test_failed_logins_of_one_account_back_off_whatever_the_address(world):
    from fastapi.testclient import TestClient

    wrong = {"email": world.emails["viewer_a"], "password": "wrong"}
    right = {"email": world.emails["viewer_a"], "password": "viewer-a-password"}
    with TestClient(_app(world, login_account_rate_limit="3/minute;10/hour")) as c:
        statuses = [c.post("/api/auth/token", json=wrong).status_code for _ in range(4)]
        locked = c.post("/api/auth/token", json=right)
    assert statuses == [401, 401, 401, 429]
    assert locked.status_code == 429 and "failed logins" in locked.json()["error"]["message"]


@pytest.fixture
def hung_redis() -> Iterator[str]:
    """A TCP server that accepts connections and never answers (a hung, not refused, Redis)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for s in [*held, listener]:
        s.close()


def test_a_hung_redis_costs_under_100_ms(world, hung_redis):
    from fastapi.testclient import TestClient

    admin = {"Authorization": f"Bearer {token(world.users['admin_a'])}"}
    with TestClient(_app(world)) as base, TestClient(_app(world, redis_url=hung_redis)) as c:
        base.get("/api/dashboard/overview", headers=admin)
        plain = []
        for _ in range(3):
            started = time.monotonic()
            assert base.get("/api/dashboard/overview", headers=admin).status_code == 200
            plain.append(time.monotonic() - started)
        baseline = max(plain)  # a shared machine: the slowest plain request is the baseline
        timings = []
        for _ in range(5):
            started = time.monotonic()
            r = c.get("/api/dashboard/overview", headers=admin)
            timings.append(time.monotonic() - started)
            assert r.status_code == 200 and r.headers["x-cache"] == "off"
    # the Redis timeouts are 50 ms; a hung Redis without them costs 1-2 s per request. The
    # margins leave room for a loaded CI machine's scheduling noise, not for a missing timeout.
    assert timings[0] - baseline < 0.3, (timings, baseline)
    assert sorted(timings[1:])[2] - baseline < 0.1, (timings, baseline)  # then skipped
