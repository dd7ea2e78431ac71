"""Module-scoped world for the Dagster tests: one database, one small sandbox world, seeded."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest

from tests.conftest import ADMIN_URL, Sandbox

# small but complete: two workspaces (so one can lose an account while the other loads),
# every platform, a few competitors
SMALL_WORLD = {"workspaces_per_agency": 2, "competitors_per_workspace": 1,
               "posts_per_account": 8, "history_days": 5.0, "comments_per_post": 2.0}


@dataclass
class DagsterWorld:
    """The database URL and the sandbox client one test module shares."""

    url: str
    sandbox: Sandbox

    def scalar(self, query: str, *args) -> object:
        with psycopg.connect(self.url) as conn:
            row = conn.execute(query, args).fetchone()
        return row[0] if row else None


@pytest.fixture(scope="module")
def dagster_world(sandbox_server: str) -> Iterator[DagsterWorld]:
    """A fresh migrated database with app.* seeded from a small sandbox world."""
    from socialpulse.migrate import migrate
    from socialpulse.seed import seed_from_world, source_secrets_env

    name = f"sp_dagster_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    migrate(url)
    sandbox = Sandbox(sandbox_server)
    sandbox.reset(config=SMALL_WORLD)
    world = sandbox.world()
    os.environ.update(source_secrets_env(world))
    with psycopg.connect(url, row_factory=psycopg.rows.dict_row) as conn:
        seed_from_world(conn, world)
    yield DagsterWorld(url, sandbox)
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
