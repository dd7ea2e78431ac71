"""The one way tests build a warehouse: a throw-away database, a sandbox world, syncs, dbt.

Every package's fixtures use :class:`Warehouse`, so a change to how the product connects, syncs or
builds is made once here and every test sees it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.rows import dict_row

# the server that creates one throw-away database per test
ADMIN_URL = os.environ.get("TEST_ADMIN_DATABASE_URL", "postgresql://127.0.0.1:5432/postgres")


def create_database(prefix: str = "sp_test") -> str:
    """A fresh, migrated database on the test Postgres server; returns its URL."""
    from socialpulse.migrate import migrate

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    migrate(url)
    return url


def drop_database(url: str) -> None:
    """Drop a database made by :func:`create_database`, closing its connections."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{url.rsplit("/", 1)[1]}" with (force)')


@dataclass
class Warehouse:
    """A database and the sandbox feeding it, with the steps a cycle is made of.

    ``sandbox`` is the tests' sandbox client (``tests.conftest.Sandbox``).
    """

    url: str
    sandbox: Any
    world: dict = field(default_factory=dict)
    sync_times: list[str] = field(default_factory=list)
    builds: list = field(default_factory=list)

    def query(self, sql: str, params: tuple | dict | None = None) -> list[dict]:
        """Rows of ``sql`` as dicts."""
        with psycopg.connect(self.url, row_factory=dict_row) as conn:
            return conn.execute(sql, params).fetchall()

    def scalar(self, sql: str, *params: object) -> object:
        """The first column of the first row of ``sql`` (None without a row)."""
        with psycopg.connect(self.url) as conn:
            row = conn.execute(sql, params or None).fetchone()
        return row[0] if row else None

    def connect_world(self, config: dict | None = None, faults: dict | None = None,
                      token_ttl_s: dict | None = None, reset: bool = True) -> dict:
        """Reset the sandbox to ``config``, export its app secrets and connect its accounts."""
        from socialpulse.seed import seed_from_world, source_secrets_env

        if reset:
            self.sandbox.reset(config=config, faults=faults, token_ttl_s=token_ttl_s)
        self.world = self.sandbox.world()
        os.environ.update(source_secrets_env(self.world))
        with psycopg.connect(self.url, row_factory=dict_row) as conn:
            seed_from_world(conn, self.world)
        return self.world

    def sync(self, check: bool = True, **kwargs: Any) -> list:
        """One sync of every connected account; fails the test on an account failure."""
        from dlt_sources.runner import sync

        results = sync(url=self.url, **kwargs)
        if check:
            failures = {k: v for r in results for k, v in r.failures.items()}
            assert not failures, failures
        self.sync_times.append(self.sandbox.http.get("/_sandbox/clock").json()["now"])
        return results

    def build(self, *args: str) -> Any:
        """``dbt build`` (or the given dbt arguments) against this warehouse."""
        from socialpulse.transform import run_dbt

        result = run_dbt(list(args) or ["build"], self.url)
        self.builds.append(result)
        return result


@contextmanager
def warehouse(sandbox: Any, prefix: str = "sp_test") -> Iterator[Warehouse]:
    """A :class:`Warehouse` on a fresh database, dropped when the block ends."""
    url = create_database(prefix)
    try:
        yield Warehouse(url, sandbox)
    finally:
        drop_database(url)
