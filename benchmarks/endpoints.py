"""The overview and trending-hashtags endpoints against the original brief's algorithms.

For each size: a synced and built world is copied; the report API (no response cache, rate
limit off) and the brief's algorithms (``_brief_api.py``: the N+1 loop over accounts for the
overview, every post text + regex + count for trending) serve the same database on local
ports, each in its own process, for an agency admin of the world's agency. Each endpoint is
called one request at a time, then by 50 concurrent clients: median and p99 latency.

    .venv/bin/python benchmarks/endpoints.py --sizes 100000,1000000 --workspaces 38 --repeat 3
"""

from __future__ import annotations

import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import _world
import httpx
from _table import Table, arguments, sizes

from platform_sandbox.process import free_port

HERE = Path(__file__).resolve().parent
ENDPOINTS = {"overview": "/api/dashboard/overview",
             "trending hashtags": "/api/analytics/trending-hashtags"}


def _admin(url: str) -> tuple[int, str]:
    """An agency admin of the world's agency: (user id, access token)."""
    from report_api.config import ApiSettings
    from report_api.security import issue_token
    from report_api.users import create_user
    from socialpulse.warehouse import connect

    agency = _world.query(url, "select min(agency_id) as a from app.agencies")[0]["a"]
    with connect(url) as conn:
        user = create_user(conn, "bench@bench.socialpulse.local", secrets.token_hex(8),
                           "agency_admin", agency)
    version = _world.query(url, "select token_version from app.users where user_id = %s",
                           (user.user_id,))[0]["token_version"]
    settings = ApiSettings(jwt_secret=os.environ["JWT_SECRET"])
    return user.user_id, issue_token(settings, user.user_id, "agency_admin", version=version)[0]


@contextmanager
def serving(command: list[str]) -> Iterator[str]:
    """Run an HTTP server command (``{port}`` filled in) until the block ends; its base URL."""
    port = free_port()
    proc = subprocess.Popen([c.replace("{port}", str(port)) for c in command],
                            env=os.environ.copy())
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"{command[:3]} did not start")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _ours(url: str) -> list[str]:
    code = ("import uvicorn; from report_api.main import create_app; "
            "from report_api.config import ApiSettings; "
            "app = create_app(ApiSettings(rate_limit='100000/minute', redis_url=None), "
            f"database_url={url!r}); "
            "uvicorn.run(app, host='127.0.0.1', port={port}, log_level='error')")
    return [sys.executable, "-c", code]


async def _latencies(base: str, path: str, headers: dict, clients: int,
                     requests: int) -> list[float]:
    times: list[float] = []
    queue = list(range(requests))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=120, headers=headers,
                                 limits=limits) as client:
        async def worker() -> None:
            while queue:
                queue.pop()
                started = time.perf_counter()
                response = await client.get(path)
                times.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise RuntimeError(f"{base}{path}: {response.status_code} {response.text}")

        await asyncio.gather(*(worker() for _ in range(clients)))
    return times


def p99(times: list[float]) -> float:
    """The 99th percentile (the maximum below 100 values)."""
    return statistics.quantiles(times, n=100)[98] if len(times) >= 100 else max(times)


def main() -> None:
    parser = arguments(__doc__.splitlines()[0], "5000")
    parser.add_argument("--requests", type=int, default=20,
                        help="requests per endpoint one at a time (x10 at 50 concurrent)")
    args = parser.parse_args()
    _world.prepare_environment()
    os.environ.setdefault("JWT_SECRET", secrets.token_urlsafe(48))
    table = Table("endpoints", "the original brief's algorithm")
    with _world.sandbox() as box:
        worlds = _world.Worlds(box)
        try:
            for size in sizes(args.sizes):
                url = worlds.loaded(_world.WorldSize(size, workspaces=args.workspaces),
                                    built=True)
                try:
                    user_id, token = _admin(url)
                    label = f"{_world.post_count(url):,} posts"
                    with serving(_ours(url)) as ours, \
                            serving([sys.executable, str(HERE / "_brief_api.py"), url,
                                     "{port}"]) as brief:
                        servers = {"ours": (ours, {"Authorization": f"Bearer {token}"}),
                                   "baseline": (brief, {"X-User-Id": str(user_id)})}
                        # both answer the same question: say so before timing them
                        totals = {side: httpx.get(base + ENDPOINTS["overview"], headers=h,
                                                  timeout=120).json()["total_posts"]
                                  for side, (base, h) in servers.items()}
                        _world.progress(f"overview total_posts: {totals}")
                        for n in range(args.repeat):
                            for name, path in ENDPOINTS.items():
                                for side, (base, headers) in servers.items():
                                    _world.progress(f"{size} posts, run {n + 1}: {name}, "
                                                    f"{side} ...")
                                    # a first request opens the pool: not part of the figure
                                    asyncio.run(_latencies(base, path, headers, 1, 1))
                                    one = asyncio.run(_latencies(base, path, headers, 1,
                                                                 args.requests))
                                    many = asyncio.run(_latencies(base, path, headers, 50,
                                                                  10 * args.requests))
                                    for figure, value in (
                                            ("median, 1 at a time", statistics.median(one)),
                                            ("p99, 1 at a time", p99(one)),
                                            ("median, 50 concurrent", statistics.median(many)),
                                            ("p99, 50 concurrent", p99(many))):
                                        row = table.row(f"{name} {figure}, {label}", "ms")
                                        getattr(row, side).append(1000 * value)
                finally:
                    _world.drop_database(url)
        finally:
            worlds.close()
    table.notes += [
        f"sizes {args.sizes} posts requested, {args.workspaces} workspaces, {args.repeat} "
        f"run(s); {args.requests} requests one at a time and {10 * args.requests} by 50 "
        "concurrent clients per endpoint and run; an agency admin, owned accounts, no date "
        "filter (trending: the API's default 7-day window; the brief's has none)",
        "both servers: one uvicorn process, pool of 10 connections, no response cache",
    ]
    table.publish(args.out)


if __name__ == "__main__":
    main()
