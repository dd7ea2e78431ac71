"""Snapshot storage: the raw snapshot tables are partitioned by week with the weeks created
ahead of the syncs (rows outside them wait in the default partition until their week exists),
queries on a time range read only that range's partitions, and retention thins old snapshots
without changing a single mart row: the marts built before retention equal a
``--full-refresh`` build from the thinned tables, and so do the thinned intermediate copies.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from dagster_project.defs.storage.snapshots import (
    INTERMEDIATE_SNAPSHOT_TABLES,
    apply_retention,
    prepare,
    raw_snapshot_tables,
)
from socialpulse.errors import ConfigError
from socialpulse.partitions import WEEKS_AHEAD, ensure_partitioned, partitions, week_start
from socialpulse.platforms import SOURCES
from tests.conftest import Sandbox
from tests.dbt_project.conftest import VIRAL_WORLD
from tests.warehouse import Warehouse, warehouse

# hours between syncs from Sunday 12:00: 12:15, then Monday 08:15, 09:15 (a row retention
# drops: neither the day's last nor the week's first) and 11:15, then weeks on, past the
# retention below
SYNCS = (0.25, 20, 1, 2, 24 * 20, 24 * 20)
RETENTION_DAYS = 31  # the least allowed: viral_window_days is 30
RUN_COLUMNS = {"dbt_invocation_id", "processed_at"}
# seven syncs and two full builds on a shared machine
pytestmark = pytest.mark.timeout(1800)


def _normalised(value: object) -> object:
    if isinstance(value, float):
        return float(f"{value:.9g}")
    if isinstance(value, list):
        return tuple(_normalised(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _rows(wh: Warehouse, table: str) -> Counter:
    with psycopg.connect(wh.url) as conn:
        cursor = conn.execute(f"select * from {table}")
        names = [c.name for c in cursor.description or []]
        keep = [i for i, name in enumerate(names) if name not in RUN_COLUMNS]
        return Counter(tuple(_normalised(row[i]) for i in keep) for row in cursor.fetchall())


def _tables(wh: Warehouse, schema: str) -> list[str]:
    return [r["name"] for r in wh.query(
        "select schemaname || '.' || tablename as name from pg_tables where schemaname = %s"
        " order by 1", (schema,))]


def _prepare(wh: Warehouse) -> list[str]:
    return [p for group in SOURCES for p in prepare(wh.url, group)]


def _snapshot_rows(wh: Warehouse) -> int:
    return sum(int(wh.scalar(f'select count(*) from "{t.schema}"."{t.table}"') or 0)
               for t in raw_snapshot_tables())


def _counts_by_platform(wh: Warehouse) -> dict[str, object]:
    """What a failure here needs to tell a missed build from lost rows: the raw Facebook
    Page snapshots and each platform's rows in the intermediate account snapshots."""
    found: dict[str, object] = {"raw_facebook_page_snapshots": wh.scalar(
        "select count(*) from raw_meta.facebook_page_metric_snapshots")}
    if wh.scalar("select to_regclass('intermediate.int_account_snapshots_unioned')"):
        found["intermediate"] = {r["platform"]: r["n"] for r in wh.query(
            "select platform, count(*) as n from intermediate.int_account_snapshots_unioned"
            " group by 1")}
    return found


@pytest.fixture(scope="module")
def retained(sandbox_server: str):
    """The viral world synced over six weeks and built; its marts; retention applied."""
    with warehouse(Sandbox(sandbox_server), "sp_test_retain") as wh:
        wh.connect_world(VIRAL_WORLD)
        wh.sync()
        found = {"converted": _prepare(wh)}
        for hours in SYNCS:
            wh.sandbox.advance(hours * 3600)
            _prepare(wh)  # as the cycle does before each group's sync
            wh.sync()
        found["counts_before_build"] = _counts_by_platform(wh)
        wh.build()
        found["counts_after_build"] = _counts_by_platform(wh)
        found["marts"] = {t: _rows(wh, t) for t in _tables(wh, "marts")}
        found["rows_before"] = _snapshot_rows(wh)
        found["retention"] = apply_retention(wh.url, RETENTION_DAYS)
        found["rows_after"] = _snapshot_rows(wh)
        found["intermediate"] = {f"{t.schema}.{t.table}": _rows(wh, f"{t.schema}.{t.table}")
                                 for t in INTERMEDIATE_SNAPSHOT_TABLES}
        wh.build("build", "--full-refresh")
        yield wh, found


def test_partitions_are_created_ahead(retained) -> None:
    wh, found = retained
    assert any(p.endswith("_default") for p in found["converted"])
    latest = wh.scalar("select max(observed_at) from raw_twitter.tweet_metric_snapshots")
    assert isinstance(latest, datetime)
    with psycopg.connect(wh.url) as conn:
        for t in raw_snapshot_tables():
            starts = {lo for _, lo, _ in partitions(conn, t.schema, t.table)}
            if not starts:
                continue  # a table this world does not write
            # made before the last sync: WEEKS_AHEAD past the wall clock (the later clock
            # here) and beyond the week of the newest row
            wanted = week_start(datetime.now(UTC)) + WEEKS_AHEAD * timedelta(days=7)
            assert wanted in starts, (t.table, sorted(s for s in starts if s))
            assert max(s for s in starts if s) > week_start(latest), t.table
            assert None in starts  # the default partition
    assert wh.scalar("select count(*) from raw_twitter.tweet_metric_snapshots_default") == 0


def test_rows_past_the_weeks_made_ahead_wait_in_the_default_partition(retained) -> None:
    wh, _ = retained
    start = datetime(2026, 11, 2, tzinfo=UTC)
    with psycopg.connect(wh.url, autocommit=True) as conn:
        conn.execute("create schema scratch")
        conn.execute("create table scratch.snaps (id text not null, observed_at timestamptz"
                     " not null, n bigint, _dlt_id text unique)")
        conn.execute("insert into scratch.snaps values ('a', %s, 1, 'x')", (start,))
    assert ensure_partitioned(wh.url, "scratch", "snaps", now=start, weeks_ahead=0) == [
        "snaps_default", "snaps_w20261102"]
    late = start + timedelta(days=20)
    with psycopg.connect(wh.url, autocommit=True) as conn:
        conn.execute("insert into scratch.snaps values ('a', %s, 2, 'y')", (late,))
    assert wh.scalar("select count(*) from scratch.snaps_default") == 1
    assert ensure_partitioned(wh.url, "scratch", "snaps", now=start, weeks_ahead=0) == [
        "snaps_w20261109", "snaps_w20261116"]
    assert wh.scalar("select count(*) from scratch.snaps_default") == 0
    assert wh.scalar("select count(*) from scratch.snaps_w20261116") == 1
    assert wh.scalar("select count(*) from scratch.snaps") == 2


def test_time_range_queries_read_only_their_partitions(retained) -> None:
    wh, _ = retained
    latest = wh.scalar("select max(observed_at) from raw_twitter.tweet_metric_snapshots")
    assert isinstance(latest, datetime)
    since = latest - timedelta(days=3)
    for relation in ("raw_twitter.tweet_metric_snapshots",
                     "staging.stg_twitter__tweet_metric_snapshots"):
        plan = "\n".join(r["QUERY PLAN"] for r in wh.query(
            f"explain select count(*) from {relation} where observed_at >= %s", (since,)))
        scanned = {w for w in plan.split() if w.startswith("tweet_metric_snapshots_w")}
        with psycopg.connect(wh.url) as conn:
            relevant = {name for name, lo, hi in partitions(
                conn, "raw_twitter", "tweet_metric_snapshots") if hi is not None and hi > since}
        # (the default partition is read too: the range is open-ended)
        assert scanned and scanned <= relevant, (relation, plan)


def test_retention_thins_old_snapshots(retained) -> None:
    _, found = retained
    assert found["retention"]["partitions_thinned"]
    assert found["retention"]["intermediate_rows_deleted"] > 0
    assert found["rows_after"] < found["rows_before"]


def test_every_mart_row_is_unchanged_by_retention(retained) -> None:
    wh, found = retained
    assert found["marts"]
    for table, rows in found["marts"].items():
        assert _rows(wh, table) == rows, (table, found["counts_before_build"],
                                          found["counts_after_build"])


def test_thinned_intermediate_copies_equal_a_full_rebuild(retained) -> None:
    wh, found = retained
    for table, rows in found["intermediate"].items():
        assert _rows(wh, table) == rows, (table, found["counts_before_build"],
                                          found["counts_after_build"])


def test_retention_shorter_than_the_viral_window_is_refused(retained) -> None:
    wh, _ = retained
    with pytest.raises(ConfigError, match="viral_window_days"):
        apply_retention(wh.url, 30)
