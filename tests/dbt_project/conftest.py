"""One loaded warehouse per test module: sandbox world -> four syncs -> dbt builds.

The simulated clock is frozen between syncs, so every snapshot carries a known observation time
and the sandbox's ground truth can be read back at exactly that time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg
import pytest
from psycopg.rows import dict_row

from tests.conftest import Sandbox, create_database, drop_database

# small world with enough viral posts to matter; seed differs from the calibration seeds; X
# timelines carry retweets (the originals' large counts) that no mart figure may count
VIRAL_WORLD = {"seed": 11, "workspaces_per_agency": 2, "posts_per_account": 24,
               "competitors_per_workspace": 2, "viral_fraction": 0.1, "comments_per_post": 1.0,
               "retweet_fraction": 0.3, "quote_fraction": 0.1}
# hours between syncs: 12:00 -> 18:00 -> next day 06:00 | build 1 | -> day after 08:00 | build 2
FIRST_LEG_HOURS = (6, 12)
SECOND_LEG_HOURS = 26


@dataclass
class Warehouse:
    """A loaded and built warehouse plus what the tests need to check it."""

    url: str
    sandbox: Sandbox
    sync_times: list[str] = field(default_factory=list)
    builds: list = field(default_factory=list)

    def query(self, sql: str, params: tuple | dict | None = None) -> list[dict]:
        with psycopg.connect(self.url, row_factory=dict_row) as conn:
            return conn.execute(sql, params).fetchall()


def _create_database() -> str:
    return create_database("sp_test_dbt")


def _drop_database(url: str) -> None:
    drop_database(url)


def _sync(wh: Warehouse) -> None:
    from dlt_sources.runner import sync

    results = sync(url=wh.url)
    failures = {k: v for r in results for k, v in r.failures.items()}
    assert not failures, failures
    wh.sync_times.append(wh.sandbox.http.get("/_sandbox/clock").json()["now"])


def _seed(wh: Warehouse) -> None:
    from socialpulse.seed import seed_from_world, source_secrets_env

    world = wh.sandbox.world()
    os.environ.update(source_secrets_env(world))
    with psycopg.connect(wh.url, row_factory=dict_row) as conn:
        seed_from_world(conn, world)


@pytest.fixture(scope="module")
def loaded(sandbox_server: str) -> Iterator[Warehouse]:
    """The viral world after four syncs; dbt built after the third (full) and fourth
    (incremental, lookback_days=0) sync."""
    from socialpulse.transform import run_dbt

    wh = Warehouse(_create_database(), Sandbox(sandbox_server))
    try:
        wh.sandbox.reset(config=VIRAL_WORLD)
        _seed(wh)
        _sync(wh)
        for hours in FIRST_LEG_HOURS:
            wh.sandbox.advance(hours * 3600)
            _sync(wh)
        wh.builds.append(run_dbt(["build", "--vars", "{lookback_days: 0}"], wh.url))
        wh.sandbox.advance(SECOND_LEG_HOURS * 3600)
        _sync(wh)
        wh.builds.append(run_dbt(["build", "--vars", "{lookback_days: 0}"], wh.url))
        yield wh
    finally:
        _drop_database(wh.url)
