"""Incremental builds equal a full rebuild: after several 15-minute-style cycles (sync, then
``dbt build``, with the clock moved on between them, once past the lookback), a copy of the
warehouse rebuilt with ``--full-refresh`` from the same raw rows holds exactly the same rows in
every table dbt materialises (marts and intermediate tables), so keeping a model incremental or
scanning only the hot window never changes a figure.
"""

from __future__ import annotations

import json
from collections import Counter

import psycopg
import pytest

from tests.conftest import Sandbox
from tests.dbt_project.conftest import VIRAL_WORLD
from tests.warehouse import ADMIN_URL, Warehouse, drop_database, warehouse

# hours the clock moves before each later cycle: same day, next day, then past lookback_days
CYCLE_HOURS = (0.25, 6, 30, 100)
# columns that say when or by which run a row was written, not what it holds
RUN_COLUMNS = {"dbt_invocation_id", "processed_at"}


def _tables(wh: Warehouse) -> list[str]:
    rows = wh.query("select schemaname || '.' || tablename as name from pg_tables"
                    " where schemaname in ('marts', 'intermediate') order by 1")
    return [r["name"] for r in rows]


def _normalised(value: object) -> object:
    # a float summed in another order may differ in its last bits; arrays (hashtags) and JSON
    # become hashable
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if isinstance(value, list):
        return tuple(_normalised(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _rows(url: str, table: str) -> Counter:
    with psycopg.connect(url) as conn:
        cursor = conn.execute(f"select * from {table}")
        names = [c.name for c in cursor.description or []]
        keep = [i for i, name in enumerate(names) if name not in RUN_COLUMNS]
        return Counter(tuple(_normalised(row[i]) for i in keep) for row in cursor.fetchall())


def _copy(url: str) -> str:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                     " where datname = %s and pid <> pg_backend_pid()", (name,))
        conn.execute(f'create database "{name}_full" template "{name}"')
    return f"{url}_full"


@pytest.fixture(scope="module")
def cycled(sandbox_server: str):
    """The viral world after a first build and incremental cycles, beside a full rebuild."""
    with warehouse(Sandbox(sandbox_server), "sp_test_incr") as wh:
        wh.connect_world(VIRAL_WORLD)
        wh.sync()
        wh.build()
        for hours in CYCLE_HOURS:
            wh.sandbox.advance(hours * 3600)
            wh.sync()
            wh.build()
        full = _copy(wh.url)
        try:
            Warehouse(full, wh.sandbox).build("build", "--full-refresh")
            yield wh, full
        finally:
            drop_database(full)


def test_every_table_equals_a_full_rebuild(cycled) -> None:
    wh, full = cycled
    tables = _tables(wh)
    assert "marts.viral_candidates" in tables and "marts.post_metrics_daily" in tables
    differences = {}
    for table in tables:
        incremental, rebuilt = _rows(wh.url, table), _rows(full, table)
        extra, missing = incremental - rebuilt, rebuilt - incremental
        if extra or missing:
            differences[table] = (sum(extra.values()), sum(missing.values()),
                                  list(extra)[:2], list(missing)[:2])
    assert not differences, differences
    # the comparison saw real data: posts and their daily rows, viral candidates among them
    assert sum(_rows(wh.url, "marts.posts").values()) > 100
    assert sum(_rows(wh.url, "marts.viral_candidates").values()) > 0
