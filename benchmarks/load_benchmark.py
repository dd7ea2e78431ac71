"""Load speed: a full sync of a sandbox world with dlt's default insert path vs CSV (COPY).

Prints one line per loader file format, side by side. Not a test: figures depend on the machine.

    .venv/bin/python benchmarks/load_benchmark.py --workspaces 4 --posts 300
"""

from __future__ import annotations

import argparse
import os
import time
import uuid

import httpx
import psycopg

from dlt_sources.runner import sync
from platform_sandbox.process import free_port, running_sandbox
from socialpulse.crypto import generate_key
from socialpulse.migrate import migrate
from socialpulse.seed import seed_from_world, source_secrets_env

ADMIN_URL = os.environ.get("TEST_ADMIN_DATABASE_URL", "postgresql://127.0.0.1:5432/postgres")


def _scratch_db() -> str:
    name = f"sp_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _drop(url: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{url.rsplit("/", 1)[1]}" with (force)')


def run(fmt: str, sandbox_url: str, config: dict) -> tuple[int, float]:
    """Full sync into a fresh database; returns (rows loaded, seconds)."""
    httpx.post(f"{sandbox_url}/_sandbox/reset", json={"config": config}, timeout=60)
    world = httpx.get(f"{sandbox_url}/_sandbox/world", timeout=60).json()
    os.environ.update(source_secrets_env(world))
    url = _scratch_db()
    try:
        migrate(url)
        with psycopg.connect(url, row_factory=psycopg.rows.dict_row) as conn:
            seed_from_world(conn, world)
        started = time.perf_counter()
        results = sync(url=url, loader_file_format=fmt, progress=lambda m: print(f"    {m}"))
        seconds = time.perf_counter() - started
        return sum(sum(r.row_counts.values()) for r in results), seconds
    finally:
        _drop(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspaces", type=int, default=2)
    parser.add_argument("--posts", type=int, default=200, help="posts per account")
    parser.add_argument("--formats", default="insert_values,csv")
    args = parser.parse_args()
    os.environ.setdefault("SOCIALPULSE_ENCRYPTION_KEYS", generate_key())
    config = {"workspaces_per_agency": args.workspaces, "posts_per_account": args.posts}
    figures = []
    with running_sandbox(free_port(), speed=0) as sandbox_url:
        for group in ("twitter", "meta", "linkedin"):
            os.environ[f"SOURCES__{group.upper()}__BASE_URL"] = sandbox_url
        for fmt in args.formats.split(","):
            print(f"loading with {fmt} ...")
            figures.append((fmt, *run(fmt, sandbox_url, config)))
    base = figures[0][2]
    print(f"\n{'format':<15} {'rows':>9} {'seconds':>9} {'rows/s':>9} {'vs ' + figures[0][0]:>18}")
    for fmt, rows, seconds in figures:
        speedup = base / seconds
        print(f"{fmt:<15} {rows:>9} {seconds:>9.1f} {rows / seconds:>9.0f} {speedup:>17.2f}x")


if __name__ == "__main__":
    main()
