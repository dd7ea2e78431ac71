"""Snapshot storage where rows or callers can be mistaken for one another: retention's delete on
a table whose children repeat each other's ctids (a hypertable's chunks, a partitioned table's
partitions), two conversions of one table at once, and a retention setting refused before a
cycle starts rather than after its dbt build.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from psycopg import sql

from dagster_project.cycle import run_cycle
from socialpulse.errors import ConfigError
from socialpulse.partitions import ensure_partitioned, is_partitioned, partitions
from socialpulse.retention import thin_table
from socialpulse.settings import get_settings

MONDAY = datetime(2026, 11, 2, tzinfo=UTC)


def test_thinning_a_table_whose_partitions_repeat_ctids_keeps_the_right_rows(db_url) -> None:
    # two weeks of one object's 08:00, 09:00, 10:00 observations; retention drops 09:00 only
    # (neither the day's last nor the week's first). The second week is written 09:00 first,
    # so the dropped rows are (0,2) in one partition and (0,1) in the other: a delete by ctid
    # alone also takes the first week's 08:00 (0,1) and the second week's 08:00 (0,2)
    weeks = {MONDAY: (8, 9, 10), MONDAY + timedelta(days=7): (9, 8, 10)}
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("create schema scratch")
        conn.execute("create table scratch.snaps (id text not null, observed_at timestamptz"
                     " not null, n bigint) partition by range (observed_at)")
        for start, hours in weeks.items():
            conn.execute(sql.SQL("create table {} partition of scratch.snaps for values"
                                 " from ({}) to ({})").format(
                sql.Identifier("scratch", f"snaps_w{start:%Y%m%d}"), sql.Literal(start),
                sql.Literal(start + timedelta(days=7))))
            for hour in hours:
                conn.execute("insert into scratch.snaps values ('a', %s, %s)",
                             (start + timedelta(hours=hour), hour))
        ctids = conn.execute("select tableoid::regclass::text, ctid::text, n from scratch.snaps"
                             " where n = 9 order by 1").fetchall()
        assert [c[1] for c in ctids] == ["(0,2)", "(0,1)"]  # the premise: one ctid each
    deleted = thin_table(db_url, "scratch", "snaps", ("id",), MONDAY + timedelta(days=14))
    with psycopg.connect(db_url) as conn:
        kept = conn.execute("select observed_at from scratch.snaps order by 1").fetchall()
    assert deleted == 2
    assert [r[0] for r in kept] == [start + timedelta(hours=h) for start in weeks
                                    for h in (8, 10)]


def _waiting_on_locks(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("select count(*) from pg_stat_activity"
                           " where datname = current_database() and wait_event_type = 'Lock'"
                           ).fetchone()
    return int(row[0]) if row else 0


def test_two_concurrent_conversions_make_one_partitioned_table(db_url) -> None:
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("create schema scratch")
        conn.execute("create table scratch.snaps (id text not null, observed_at timestamptz"
                     " not null, n bigint, _dlt_id text unique)")
        conn.execute("insert into scratch.snaps select 'a', %s + i * interval '1 hour', i,"
                     " 'r' || i from generate_series(0, 299) as i", (MONDAY,))
    errors: list[BaseException] = []

    def convert() -> None:
        try:
            ensure_partitioned(db_url, "scratch", "snaps", now=MONDAY, weeks_ahead=0)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    # a writer (dlt's sync) holds the table: both callers start while it does and queue up
    with psycopg.connect(db_url) as holder:
        holder.execute("lock table scratch.snaps in access exclusive mode")
        threads = [threading.Thread(target=convert) for _ in range(2)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while _waiting_on_locks(db_url) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _waiting_on_locks(db_url) == 2
    for t in threads:
        t.join(60)
    assert not errors, errors
    with psycopg.connect(db_url) as conn:
        assert is_partitioned(conn, "scratch", "snaps") is True
        assert conn.execute("select to_regclass('scratch.snaps__unpartitioned')").fetchone() == (
            None,)
        names = [name for name, _, _ in partitions(conn, "scratch", "snaps")]
        rows = conn.execute("select count(*), count(distinct _dlt_id) from scratch.snaps"
                            ).fetchone()
    assert names == ["snaps_default", "snaps_w20261102", "snaps_w20261109"]
    assert rows == (300, 300)


def test_a_cycle_with_a_retention_the_marts_refuse_stops_before_it_runs(monkeypatch) -> None:
    monkeypatch.setenv("SNAPSHOT_RETENTION_DAYS", "30")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigError, match="SNAPSHOT_RETENTION_DAYS=30.*viral_window_days"):
            # no database is reached: the check comes first
            run_cycle("postgresql://127.0.0.1:1/none")
    finally:
        monkeypatch.delenv("SNAPSHOT_RETENTION_DAYS")
        get_settings.cache_clear()
