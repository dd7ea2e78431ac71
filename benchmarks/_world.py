"""Benchmark worlds: a sandbox world of a given number of posts, loaded once, cloned per run.

A world of ``posts`` posts keeps the posting rate per account fixed (``posts_per_day``) and
stretches ``history_days`` instead, so two sizes see the same new data in a 15-minute cycle.
The first load of a size goes through the real sources (``dlt_sources.runner.sync`` over HTTP);
repeats start from a copy of that database (``create database ... template``), which takes
seconds instead of a sync.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import psycopg
from psycopg.rows import dict_row

from platform_sandbox.process import free_port, running_sandbox
from socialpulse.crypto import generate_key
from socialpulse.migrate import migrate
from socialpulse.platforms import SOURCES as SOURCE_GROUPS
from socialpulse.seed import seed_from_world, source_secrets_env

ADMIN_URL = os.environ.get("TEST_ADMIN_DATABASE_URL", "postgresql://127.0.0.1:5432/postgres")
CYCLE_SECONDS = 900
# the schemas the product writes: raw_<source>, staging, intermediate, marts, enrichment
WAREHOUSE_SCHEMAS = ("raw_%", "staging", "intermediate", "marts", "enrichment", "quarantine")


def progress(message: str) -> None:
    """One progress line, timestamped, flushed at once (the table comes at the end)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def prepare_environment() -> None:
    """Keys, a throw-away data folder and quiet dlt settings (never the developer's)."""
    os.environ.setdefault("SOCIALPULSE_ENCRYPTION_KEYS", generate_key())
    data_dir = tempfile.mkdtemp(prefix="sp-bench-")
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    os.environ["SOCIALPULSE_DATA_DIR"] = data_dir
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    os.environ.pop("DATABASE_URL", None)
    from socialpulse.settings import get_settings

    get_settings.cache_clear()


def create_database(template: str | None = None) -> str:
    """A fresh database (a copy of ``template``'s database when given); returns its URL."""
    name = f"sp_bench_{uuid.uuid4().hex[:10]}"
    clause = f' template "{template.rsplit("/", 1)[1]}"' if template else ""
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        if template:
            # a copy needs the template to itself: pools left open by a cycle run in this
            # process (Dagster resources) still hold sessions on it
            conn.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                         " where datname = %s and pid <> pg_backend_pid()",
                         (template.rsplit("/", 1)[1],))
        conn.execute(f'create database "{name}"{clause}')
    return ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str) -> None:
    """Drop a database made by :func:`create_database`, closing its connections."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{url.rsplit("/", 1)[1]}" with (force)')


def query(url: str, sql: str, params: Any = None) -> list[dict]:
    """Rows of ``sql`` as dicts."""
    with psycopg.connect(url, row_factory=dict_row) as conn:
        return conn.execute(sql, params).fetchall()


@dataclass(frozen=True)
class WorldSize:
    """A world of about ``posts`` posts over ``workspaces`` client workspaces."""

    posts: int
    workspaces: int = 2
    posts_per_day: float = 10.0
    comments_per_post: float = 1.0

    def config(self, accounts: int) -> dict:
        """Sandbox world knobs for ``accounts`` accounts (known after a first reset)."""
        per_account = max(1, round(self.posts / accounts))
        return {"workspaces_per_agency": self.workspaces, "posts_per_account": per_account,
                "history_days": max(1.0, per_account / self.posts_per_day),
                "comments_per_post": self.comments_per_post}


class Sandbox:
    """A running sandbox: reset to a size, move the clock, hand out the world's secrets."""

    def __init__(self, url: str):
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=600)

    def reset(self, size: WorldSize) -> dict:
        """Reset to ``size``; returns the world with its secrets exported for the sources."""
        body = {"config": {"workspaces_per_agency": size.workspaces, "posts_per_account": 1}}
        accounts = self.http.post("/_sandbox/reset", json=body).raise_for_status().json()
        config = size.config(int(accounts["accounts"]))
        self.http.post("/_sandbox/reset", json={"config": config}).raise_for_status()
        world = self.http.get("/_sandbox/world").raise_for_status().json()
        os.environ.update(source_secrets_env(world))
        return world

    def advance(self, seconds: float = CYCLE_SECONDS) -> None:
        """Move the simulated clock on (new posts, new metrics)."""
        self.http.post("/_sandbox/clock", json={"advance_seconds": seconds}).raise_for_status()

    @property
    def pid(self) -> int | None:
        """The sandbox server's process id (a child of this process), for its CPU time."""
        import psutil

        for child in psutil.Process().children(recursive=True):
            if "platform_sandbox" in " ".join(child.cmdline()):
                return child.pid
        return None


@contextmanager
def sandbox() -> Iterator[Sandbox]:
    """A sandbox on a free port with a frozen clock; the sources point at it."""
    with running_sandbox(free_port(), speed=0, timeout_s=60) as url:
        for group in SOURCE_GROUPS:
            os.environ[f"SOURCES__{group.upper()}__BASE_URL"] = url
        yield Sandbox(url)


def seeded_database(world: dict) -> str:
    """A migrated database with the world's agencies, workspaces and accounts connected."""
    url = create_database()
    migrate(url)
    with psycopg.connect(url, row_factory=dict_row) as conn:
        seed_from_world(conn, world)
    return url


def sync(url: str) -> int:
    """One sync of every connected account through the sources; returns rows loaded."""
    from dlt_sources.runner import sync as run_sync

    results = run_sync(url=url, progress=lambda m: progress(f"  sync {m}"))
    failures = {k: v for r in results for k, v in r.failures.items()}
    if failures:
        raise RuntimeError(f"accounts failed to sync: {failures}")
    return sum(sum(r.row_counts.values()) for r in results)


def dbt_build(url: str, project: str | None = None) -> dict:
    """``dbt build`` as the product runs it, with its own target folder (so concurrent dbt
    runs keep theirs), of the dbt project in folder ``project`` (default: ours); returns
    run_results.json."""
    import json

    from socialpulse.transform import run_dbt

    folders = ["--project-dir", project, "--profiles-dir", project] if project else []
    with tempfile.TemporaryDirectory(prefix="sp-bench-dbt-") as target:
        run_dbt(["build", "--quiet", "--target-path", target, *folders], url)
        with open(os.path.join(target, "run_results.json"), encoding="utf-8") as f:
            return json.load(f)


def post_count(url: str) -> int:
    """Posts in the marts (after a build) or else the raw posts the sources loaded."""
    rows = query(url, "select to_regclass('marts.posts') is not null as built")
    if rows[0]["built"]:
        return int(query(url, "select count(*) as n from marts.posts")[0]["n"])
    return raw_post_count(url)


def raw_post_count(url: str) -> int:
    """Rows in the raw post tables of every source (the contracts' ``post`` tables)."""
    from dlt_sources.contracts import all_tables
    from socialpulse.platforms import raw_dataset

    total = 0
    for contract, table in all_tables():
        if table.kind != "post":
            continue
        name = f"{raw_dataset(contract.source)}.{table.name}"
        if query(url, "select to_regclass(%s) is not null as ok", (name,))[0]["ok"]:
            total += int(query(url, f"select count(*) as n from {name}")[0]["n"])
    return total


class Worlds:
    """Loaded worlds by size, each synced (and built, when asked) once, then cloned."""

    def __init__(self, box: Sandbox):
        self.box = box
        self.templates: dict[tuple[WorldSize, bool], str] = {}

    def loaded(self, size: WorldSize, built: bool = False,
               after: Callable[[str], None] | None = None) -> str:
        """A new database holding ``size``'s world synced (and dbt-built when ``built``)."""
        key = (size, built)
        if key not in self.templates:
            progress(f"building the {size.posts}-post world ({self.how}"
                     f"{' and dbt build' if built else ''}) ...")
            url, rows = self.load(size)
            if built:
                started = time.perf_counter()
                self.build(url)
                progress(f"  dbt build of the world: {time.perf_counter() - started:.0f}s")
            if after:
                after(url)
            progress(f"  {rows} rows, {post_count(url)} posts loaded")
            self.templates[key] = url
            return create_database(template=url)
        # a fresh world issues fresh tokens: connect the copy with them
        world = self.reset(size)
        copy = create_database(template=self.templates[key])
        with psycopg.connect(copy, row_factory=dict_row) as conn:
            seed_from_world(conn, world)
        return copy

    how = "one real sync"

    def reset(self, size: WorldSize) -> dict:
        """The sandbox reset to the world of ``size`` (fresh tokens, exported)."""
        return self.box.reset(size)

    def load(self, size: WorldSize) -> tuple[str, int]:
        """A first database of ``size``'s world and the rows loaded into it."""
        url = seeded_database(self.reset(size))
        return url, sync(url)

    def build(self, url: str) -> None:
        """The world's first ``dbt build``."""
        dbt_build(url)

    def close(self, keep: str | None = None) -> None:
        """Drop every template database but ``keep``'s."""
        for url in self.templates.values():
            if url != keep:
                drop_database(url)
