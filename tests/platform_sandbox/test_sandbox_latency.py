"""The sandbox's simulated platform latency (``--latency-ms``): every API request waits
100-500 ms like the real APIs, the waits overlap (the server answers others meanwhile), the
draw is fixed per seed and request, and a world reset keeps the server's latency."""

from __future__ import annotations

import asyncio
import statistics
import time

import httpx
import pytest

from platform_sandbox.latency import delay_s
from platform_sandbox.process import free_port, running_sandbox
from platform_sandbox.state import Faults

LATENCY_MS = 200


@pytest.fixture(scope="module")
def slow_sandbox() -> str:
    with running_sandbox(free_port(), extra_args=["--latency-ms", str(LATENCY_MS)]) as url:
        yield url


def _delay_ms(http: httpx.Client, path: str = "/2/users/1") -> int:
    """The delay the sandbox says it applied to one request (0: none)."""
    return int(http.get(path).headers.get("x-sandbox-delay-ms", 0))


async def _concurrent_gets(base: str, n: int) -> tuple[float, list[float]]:
    """``n`` requests at once over one client: (wall seconds, each request's seconds)."""
    async with httpx.AsyncClient(base_url=base, timeout=60,
                                 limits=httpx.Limits(max_connections=n)) as client:
        async def one(i: int) -> float:
            started = time.perf_counter()
            await client.get(f"/2/users/{i}")  # 401 without a token: delayed all the same
            return time.perf_counter() - started

        await client.get("/_sandbox/clock")  # warm
        started = time.perf_counter()
        waits = await asyncio.gather(*[one(i) for i in range(n)])
        return time.perf_counter() - started, list(waits)


def test_requests_wait_and_the_waits_overlap(slow_sandbox: str):
    n = 32
    wall, waits = asyncio.run(_concurrent_gets(slow_sandbox, n))
    assert min(waits) >= 0.1 * 0.99, waits  # 200 ms - 50 %
    # one at a time they would take >= 32 x 100 ms (6.4 s on average); served concurrently,
    # about one wait plus the server's own time (generous: the machine is shared)
    assert wall < 3.0, (wall, waits)
    # the private /_sandbox API is not a platform: no delay
    assert "x-sandbox-delay-ms" not in httpx.get(f"{slow_sandbox}/_sandbox/clock").headers


def test_a_world_reset_keeps_the_server_latency_and_the_knob_changes_it(slow_sandbox: str):
    http = httpx.Client(base_url=slow_sandbox, timeout=30)
    http.post("/_sandbox/reset", json={"config": {"workspaces_per_agency": 1}}
              ).raise_for_status()
    assert http.post("/_sandbox/faults", json={}).json()["latency_ms"] == LATENCY_MS
    first = _delay_ms(http)
    assert 100 <= first <= 300 and _delay_ms(http) == first  # fixed per seed and request
    assert len({_delay_ms(http, f"/2/users/{i}") for i in range(10)}) > 1  # jittered
    assert http.post("/_sandbox/faults", json={"latency_ms": 0}).json()["latency_ms"] == 0
    assert _delay_ms(http) == 0
    assert http.post("/_sandbox/faults", json={"latency_jitter": 2}).status_code == 422
    assert http.post("/_sandbox/faults", json={"latency_ms": -1}).status_code == 422
    http.post("/_sandbox/reset", json={"faults": {"latency_ms": 50}}).raise_for_status()
    assert http.post("/_sandbox/faults", json={}).json()["latency_ms"] == 50
    http.post("/_sandbox/reset", json={}).raise_for_status()
    assert http.post("/_sandbox/faults", json={}).json()["latency_ms"] == LATENCY_MS


def test_the_delay_is_jittered_and_fixed_per_seed_and_request():
    faults = Faults(latency_ms=LATENCY_MS, latency_jitter=0.5)
    paths = [f"/2/users/{i}/tweets" for i in range(2000)]
    draws = [delay_s(7, faults, "GET", p, {"max_results": "100"}) for p in paths]
    assert all(0.1 <= d <= 0.3 for d in draws)
    assert statistics.mean(draws) == pytest.approx(0.2, abs=0.01)
    assert statistics.pstdev(draws) > 0.05  # spread, not one fixed delay
    assert draws == [delay_s(7, faults, "GET", p, {"max_results": "100"}) for p in paths]
    assert draws != [delay_s(8, faults, "GET", p, {"max_results": "100"}) for p in paths]
    assert delay_s(7, Faults(), "GET", paths[0], {}) == 0
