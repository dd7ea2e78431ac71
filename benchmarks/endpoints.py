"""The overview and trending-hashtags endpoints against the original brief's algorithms.

For each size: a world of ``--accounts`` accounts is built by the bulk path (``_bulk.py``: a
real sync of every account's short history, repeated in SQL to the size) and the marts the two
endpoints read are built by ``dbt build`` (with their parents and tests); the report API (rate
limit off; response cache off, then on over the local Redis) and the brief's algorithms
(``_brief_api.py``: the N+1 loop over accounts for the overview, every post text + regex +
count for trending) serve the same database on local ports, each in its own process, for an
agency admin of the world's agency. Each endpoint is called one request at a time, then by 50
concurrent clients: median and p99 latency. The query plans of the API's two statements go to
``results/<date>-endpoints-explain.txt``.

    .venv/bin/python benchmarks/endpoints.py --sizes 100000,1000000 --accounts 500 --repeat 3
"""

from __future__ import annotations

import asyncio
import math
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import _bulk
import _explain
import _world
import httpx
from _table import RESULTS, Table, arguments, sizes

from platform_sandbox.process import free_port

HERE = Path(__file__).resolve().parent
ENDPOINTS = {"overview": "/api/dashboard/overview",
             "trending hashtags": "/api/analytics/trending-hashtags"}
# what the two endpoints read (dbt builds their parents with them)
READ_MODELS = ("accounts", "account_posts_running", "hashtag_trends_windows", "hashtag_trends")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
# X-Cache of the timed responses (hit, miss, off): a Redis too slow to answer counts as a miss
CACHE_STATES: Counter[str] = Counter()


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


def _ours(url: str, redis_url: str | None = None, prefix: str = "sp") -> list[str]:
    code = ("import uvicorn; from report_api.main import create_app; "
            "from report_api.config import ApiSettings; "
            "app = create_app(ApiSettings(rate_limit='100000/minute', "
            f"redis_url={redis_url!r}, redis_key_prefix={prefix!r}), "
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
                CACHE_STATES[response.headers.get("X-Cache", "none")] += 1

        await asyncio.gather(*(worker() for _ in range(clients)))
    return times


def p99(times: list[float]) -> float:
    """The 99th percentile (the maximum below 100 values)."""
    return statistics.quantiles(times, n=100)[98] if len(times) >= 100 else max(times)


def _measure(table: Table, side: str, base: str, headers: dict, label: str, suffix: str,
             requests: int) -> None:
    """Both endpoints on one server: median and p99, one at a time and 50 concurrent."""
    for name, path in ENDPOINTS.items():
        _world.progress(f"  {name}, {side}{suffix} ...")
        # a first request opens the pool (and fills the cache): not part of the figure
        asyncio.run(_latencies(base, path, headers, 1, 1))
        CACHE_STATES.clear()
        one = asyncio.run(_latencies(base, path, headers, 1, requests))
        many = asyncio.run(_latencies(base, path, headers, 50, 10 * requests))
        if side == "ours":
            _world.progress(f"    X-Cache of the timed responses: {dict(CACHE_STATES)}")
        for figure, value in (("median, 1 at a time", statistics.median(one)),
                              ("p99, 1 at a time", p99(one)),
                              ("median, 50 concurrent", statistics.median(many)),
                              ("p99, 50 concurrent", p99(many))):
            row = table.row(f"{name} {figure}, {label}{suffix}", "ms")
            getattr(row, side).append(1000 * value)


def _world_of(box: _world.Sandbox, size: int, args) -> str:
    """A bulk world of ``size`` posts with the endpoints' marts built."""
    workspaces = args.workspaces
    if args.accounts:
        workspaces = math.ceil(args.accounts / _bulk.accounts_per_workspace(box))
    url = _bulk.loaded(box, _world.WorldSize(size, workspaces=workspaces))
    started = time.perf_counter()
    _bulk.build(url, READ_MODELS)
    _world.progress(f"  dbt build of {', '.join(READ_MODELS)} and their parents: "
                    f"{time.perf_counter() - started:.0f}s")
    return url


def main() -> None:
    parser = arguments(__doc__.splitlines()[0], "5000")
    parser.add_argument("--requests", type=int, default=20,
                        help="requests per endpoint one at a time (x10 at 50 concurrent)")
    parser.add_argument("--accounts", type=int, default=None,
                        help="accounts of the world (sets the workspaces; default: --workspaces)")
    parser.add_argument("--cache", default="off,on", help="response cache runs: off, on or both")
    parser.add_argument("--database", default=None,
                        help="measure this built world instead of building one per size "
                             "(cycle.py --keep leaves one; it is not dropped)")
    args = parser.parse_args()
    _world.prepare_environment()
    os.environ.setdefault("JWT_SECRET", secrets.token_urlsafe(48))
    table = Table("endpoints", "the original brief's algorithm")
    caches = [c.strip() for c in args.cache.split(",") if c.strip()]
    prefix = f"spbench{secrets.token_hex(4)}"
    plans: list[str] = []
    with _world.sandbox() as box:
        for size in [0] if args.database else sizes(args.sizes):
            url = args.database or _world_of(box, size, args)
            try:
                user_id, token = _admin(url)
                accounts = _world.query(url, "select count(*) as n from marts.accounts")[0]["n"]
                label = f"{_world.post_count(url):,} posts, {accounts} accounts"
                plans.append(_explain.plans(url, user_id, label))
                ours_headers = {"Authorization": f"Bearer {token}"}
                with serving([sys.executable, str(HERE / "_brief_api.py"), url,
                              "{port}"]) as brief:
                    brief_headers = {"X-User-Id": str(user_id)}
                    for cache in caches:
                        redis_url = REDIS_URL if cache == "on" else None
                        suffix = ", cache on" if cache == "on" else ""
                        with serving(_ours(url, redis_url, prefix)) as ours:
                            # both answer the same question: say so before timing them
                            totals = {side: httpx.get(base + ENDPOINTS["overview"], headers=h,
                                                      timeout=120).json()["total_posts"]
                                      for side, base, h in (("ours", ours, ours_headers),
                                                            ("baseline", brief, brief_headers))}
                            _world.progress(f"overview total_posts: {totals}")
                            if len(set(totals.values())) != 1:
                                raise RuntimeError(f"the overviews disagree: {totals}")
                            for n in range(args.repeat):
                                _world.progress(f"{label}{suffix}, run {n + 1} ...")
                                _measure(table, "ours", ours, ours_headers, label, suffix,
                                         args.requests)
                                # the baseline (no cache of its own) is timed beside each run
                                _measure(table, "baseline", brief, brief_headers, label,
                                         suffix, args.requests)
            finally:
                if not args.database:
                    _world.drop_database(url)
                _bulk.forget_cache(REDIS_URL, prefix)
    table.notes += [
        f"sizes {args.sizes} posts requested, {args.accounts or ''} accounts "
        f"({args.workspaces if not args.accounts else 'workspaces from accounts'}), "
        f"{args.repeat} run(s); {args.requests} requests one at a time and "
        f"{10 * args.requests} by 50 concurrent clients per endpoint and run; an agency admin, "
        "owned accounts, no date filter (trending: the API's default 7-day window; the brief's "
        "has none)",
        ("world: the database given (cycle.py --bulk --keep: a real sync of the polling "
         "window, older history copied in SQL, every mart built and cycled)" if args.database
         else "worlds: _bulk.py (a real sync of every account's 10 latest posts, copied in SQL "
         "back in time to the size); marts: dbt build of what the endpoints read and its "
         "parents"),
        "both servers: one uvicorn process, pool of 10 connections; cache on = the report "
        "API's Redis response cache (every timed request a hit after the first); the baseline "
        "has no cache and is timed again beside each run",
    ]
    path = table.publish(args.out)
    explain = (Path(args.out).with_suffix(".explain.txt") if args.out
               else RESULTS / f"{time.strftime('%Y-%m-%d')}-endpoints-explain.txt")
    explain.write_text("\n\n".join(plans), encoding="utf-8")
    print(f"(plans in {explain}, table in {path})")


if __name__ == "__main__":
    main()
