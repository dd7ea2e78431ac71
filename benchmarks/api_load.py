"""Report API under load: N concurrent clients for D seconds on a real uvicorn (loopback only).

Three runs, each printed as throughput, p50/p95/p99 and errors per status:
1. the overview / posts / trending mix over 20 users, rate limit off (100000/minute);
2. the same with the production limit (100/minute per user): 429s are intended;
3. the flood run: M logged-in users on the mix, first alone, then beside N unauthenticated
   clients, printed side by side (``--flood N --users M`` runs only this one).

The flooders run in a process of their own, so the users' figures hold the server's delay,
not the load generator's. It needs a demo warehouse (`make demo`; it uses `socialpulse db url`,
or --database-url), adds 20 users `bench-<n>@bench.socialpulse.local` to the first agency and
starts the API itself as `make api` does (`python -m report_api.serve`, --workers processes,
access log off) on a free port. Not a test: figures depend on the machine.

    .venv/bin/python benchmarks/api_load.py --clients 200 --seconds 60
    .venv/bin/python benchmarks/api_load.py --flood 100 --users 1 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections import Counter

import httpx
from _flood import flooder

USERS = 20


def _setup(url: str) -> tuple[list[int], list[int]]:
    """The bench users (created or updated) and the owned account ids they can see."""
    from report_api.users import create_user
    from socialpulse.warehouse import connect

    with connect(url) as conn:
        if conn.execute("select to_regclass('app.agencies') as t").fetchone()["t"] is None:
            sys.exit("no demo warehouse at this database: run `make demo` first")
        agency = conn.execute("select min(agency_id) as a from app.agencies").fetchone()["a"]
        if agency is None:
            sys.exit("no agency in the warehouse: run `make demo` first")
        users = [create_user(conn, f"bench-{n}@bench.socialpulse.local", secrets.token_hex(8),
                             "agency_admin", agency).user_id for n in range(USERS)]
        accounts = [r["account_id"] for r in conn.execute(
            "select account_id from app.connected_accounts a join app.workspaces w "
            "using (workspace_id) where w.agency_id = %s and not is_competitor",
            (agency,)).fetchall()]
    return users, accounts


def _tokens(users: list[int], url: str) -> list[str]:
    from report_api.config import ApiSettings
    from report_api.security import issue_token
    from socialpulse.warehouse import connect

    settings = ApiSettings(jwt_secret=os.environ["JWT_SECRET"])
    with connect(url) as conn:
        rows = conn.execute("select user_id, token_version from app.users "
                            "where user_id = any(%s)", (users,)).fetchall()
    return [issue_token(settings, r["user_id"], "agency_admin", version=r["token_version"])[0]
            for r in rows]


def _serve(url: str, port: int, rate_limit: str, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "API_PORT": str(port), "RATE_LIMIT": rate_limit,
           "API_WORKERS": str(workers), "API_LOG_LEVEL": "warning"}
    env.pop("REDIS_URL", None)  # in-process limits and cache: the figures are the API's own
    return subprocess.Popen([sys.executable, "-m", "report_api.serve"], env=env)


def _wait(base: str) -> None:
    for _ in range(100):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    sys.exit("the API did not start")


async def _client(c: httpx.AsyncClient, n: int, paths: list[str], headers: dict,
                  until: float, out: list[tuple[int, float]]) -> None:
    i = n
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            status = (await c.get(paths[i % len(paths)], headers=headers)).status_code
        except httpx.HTTPError as exc:
            status = type(exc).__name__  # type: ignore[assignment]
        out.append((status, time.monotonic() - started))
        i += 1


def _paths(accounts: list[int]) -> list[str]:
    posts = [f"/api/accounts/{a}/posts?limit=20" for a in accounts[:5]] or ["/api/auth/me"]
    return ["/api/dashboard/overview", *posts, "/api/analytics/trending-hashtags"]


async def _mix(base: str, clients: int, seconds: float, tokens: list[str],
               accounts: list[int]) -> list[tuple[int, float]]:
    out: list[tuple[int, float]] = []
    until = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as c:
        await asyncio.gather(*(
            _client(c, n, _paths(accounts), {"Authorization": f"Bearer {tokens[n % USERS]}"},
                    until, out) for n in range(clients)))
    return out


def _flood_run(base: str, seconds: float, flooders: int, tokens: list[str],
               accounts: list[int], users: int) -> None:
    """The users alone, then beside ``flooders`` unauthenticated clients, side by side."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    stop, started, results = ctx.Event(), ctx.Event(), ctx.Queue()
    alone = asyncio.run(_mix(base, users, seconds, tokens, accounts))
    port = int(base.rsplit(":", 1)[1])
    flood = ctx.Process(target=flooder, args=(port, flooders, stop, started, results))
    flood.start()
    try:
        if not started.wait(60):
            sys.exit("the flood did not start")
        time.sleep(1)  # every flooder connected and past its first answers
        beside = asyncio.run(_mix(base, users, seconds, tokens, accounts))
    finally:
        stop.set()
        statuses = results.get(timeout=60)
        flood.join(timeout=30)
    _report(f"{users} logged-in user(s), alone          ", alone, seconds)
    _report(f"{users} logged-in user(s), beside the flood", beside, seconds)
    print(f"unauthenticated flood ({flooders} clients):  "
          f"{sum(statuses.values()) / (seconds + 1):8.1f} req/s  statuses {dict(statuses)}")


def _report(name: str, results: list[tuple[int, float]], seconds: float) -> None:
    times = sorted(t for _, t in results)
    if not times:
        print(f"{name}: no requests")
        return
    q = statistics.quantiles(times, n=100) if len(times) > 1 else [times[0]] * 99
    print(f"{name}: {len(times) / seconds:8.1f} req/s  p50 {q[49] * 1000:7.1f} ms  "
          f"p95 {q[94] * 1000:7.1f} ms  p99 {q[98] * 1000:7.1f} ms  "
          f"statuses {dict(Counter(s for s, _ in results))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--flood", type=int, default=0,
                        help="only the flood run, with this many unauthenticated clients")
    parser.add_argument("--users", type=int, default=1, help="logged-in users of the flood run")
    parser.add_argument("--workers", type=int, default=1, help="API worker processes")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    if not (1 <= args.clients <= 1000 and 1 <= args.seconds <= 600 and 0 <= args.flood <= 1000
            and 1 <= args.users <= USERS and 1 <= args.workers <= 8):
        sys.exit("--clients 1..1000, --seconds 1..600, --flood 0..1000, --users 1..20, "
                 "--workers 1..8")
    from socialpulse.warehouse import database_url

    url = args.database_url or database_url()
    os.environ.setdefault("JWT_SECRET", secrets.token_urlsafe(48))
    users, accounts = _setup(url)
    tokens = _tokens(users, url)
    runs = [("mix, no rate limit ", "100000/minute"), ("mix, 100/minute/user", "100/minute")]
    for name, limit in [] if args.flood else runs:
        _with_server(url, limit, args.workers, lambda base, name=name: _report(
            f"{name} ({args.clients} clients)",
            asyncio.run(_mix(base, args.clients, args.seconds, tokens, accounts)),
            args.seconds))
    _with_server(url, "100000/minute", args.workers, lambda base: _flood_run(
        base, args.seconds, args.flood or 100, tokens, accounts, args.users))


def _with_server(url: str, limit: str, workers: int, run) -> None:
    from platform_sandbox.process import free_port

    port = free_port()
    server = _serve(url, port, limit, workers)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base)
        run(base)
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
