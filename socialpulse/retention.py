"""Snapshot retention: observations older than ``SNAPSHOT_RETENTION_DAYS`` are thinned to what
the marts read of them, so storage grows with posts and days, not with cycles.

Every mart reads old snapshots only through one of these (dbt_project/models): a post's or an
account's last observation of a UTC day (post_metrics_daily, int_account_followers_daily), its
last observation with a value of a column (followers_count is read where not null), its first
observation (the backfill row of post_metrics_daily, first_seen of viral_candidates) and its
latest one. Each row kept is one of those; the rest go. viral_candidates also reads every
snapshot of the posts of its last ``viral_window_days``: retention must be longer than that,
which :func:`check_retention_days` enforces.

A week partition (socialpulse.partitions) is thinned as a whole once it ends at or before the
cutoff: its kept rows are written into a new table, which replaces it (detach, attach, drop:
no dead rows left behind). A plain table (dbt's intermediate copies) is thinned by a delete
over the same rows, so it still equals a full rebuild from the thinned raw tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import psycopg
from psycopg import sql

from socialpulse.errors import ConfigError
from socialpulse.partitions import (
    THINNED_SUFFIX,
    attach_week,
    lock_table_key,
    partitions,
    week_start,
)

# dlt's bookkeeping columns: never a metric
DLT_COLUMNS = ("_dlt_load_id", "_dlt_id")


def check_retention_days(days: int, viral_window_days: int, lookback_days: int) -> None:
    """A ConfigError when ``days`` would thin snapshots a mart still reads one by one."""
    floor = max(viral_window_days, lookback_days)
    if days <= floor:
        raise ConfigError(
            f"SNAPSHOT_RETENTION_DAYS={days} must be more than {floor} days: viral_candidates "
            f"reads every snapshot of the last viral_window_days ({viral_window_days}) and the "
            f"incremental models re-read lookback_days ({lookback_days})")


def cutoff(latest: datetime, days: int) -> datetime:
    """The start of the week ``days`` before ``latest``: snapshots before it are thinned.
    One week grid for every table, so raw tables and their dbt copies thin the same rows."""
    return week_start(latest - timedelta(days=days))


def _columns(conn: psycopg.Connection, schema: str, table: str) -> list[str]:
    rows = conn.execute("select column_name from information_schema.columns"
                        " where table_schema = %s and table_name = %s order by ordinal_position",
                        (schema, table)).fetchall()
    return [r[0] for r in rows]


def _flagged(source: sql.Composable, columns: Sequence[str], keys: Sequence[str],
             before: datetime, extra: sql.Composable = sql.SQL("")) -> sql.Composed:
    """``source``'s rows before ``before`` with a ``keep`` flag (and ``extra`` columns)."""
    at = sql.Identifier("observed_at")
    metrics = [c for c in columns if c not in (*keys, "observed_at", *DLT_COLUMNS)]
    last_with_value = [sql.SQL("{at} = max({at}) filter (where {m} is not null) over day").format(
        at=at, m=sql.Identifier(m)) for m in metrics]
    keep = sql.SQL(" or ").join([
        sql.SQL("{at} = max({at}) over day").format(at=at),
        sql.SQL("{at} = min({at}) over obj").format(at=at), *last_with_value])
    by = sql.SQL(", ").join(map(sql.Identifier, keys))
    return sql.SQL(
        "select {cols}{extra}, coalesce({keep}, false) as keep from {src} where {at} < {before}"
        " window day as (partition by {by}, ({at} at time zone 'UTC')::date),"
        # first per object and week: within a week partition that is its first there, and
        # the same rows in a plain copy; the first observation overall is among them
        " obj as (partition by {by}, date_trunc('week', {at} at time zone 'UTC'))").format(
        cols=sql.SQL(", ").join(map(sql.Identifier, columns)), extra=extra, keep=keep,
        src=source, at=at, before=sql.Literal(before), by=by)


def thin_partitioned(url: str, schema: str, table: str, keys: Sequence[str],
                     before: datetime) -> list[str]:
    """Thin every week partition of ``schema.table`` that ends at or before ``before`` and is
    not thinned yet; returns the new partitions. One transaction per partition."""
    done: list[str] = []
    with psycopg.connect(url, autocommit=True) as admin:
        due = [(name, lo) for name, lo, hi in partitions(admin, schema, table)
               if lo is not None and hi is not None and hi <= before
               and not name.endswith(THINNED_SUFFIX)]
    for name, lo in due:
        thinned = f"{name}{THINNED_SUFFIX}"
        with psycopg.connect(url) as conn:
            # before the partition's and the parent's locks, as ensure_partitioned does
            lock_table_key(conn, schema, table)
            if name not in {p for p, _, _ in partitions(conn, schema, table)}:
                continue  # thinned meanwhile by a run that overlapped this one
            columns = _columns(conn, schema, table)
            cols = sql.SQL(", ").join(map(sql.Identifier, columns))
            conn.execute(sql.SQL("create table {} (like {} including defaults)").format(
                sql.Identifier(schema, thinned), sql.Identifier(schema, table)))
            conn.execute(sql.SQL("insert into {t} ({c}) select {c} from ({f}) as f where keep")
                         .format(t=sql.Identifier(schema, thinned), c=cols,
                                 f=_flagged(sql.Identifier(schema, name), columns, keys, before)))
            conn.execute(sql.SQL("alter table {} detach partition {}").format(
                sql.Identifier(schema, table), sql.Identifier(schema, name)))
            attach_week(conn, schema, table, thinned, lo)
            conn.execute(sql.SQL("drop table {}").format(sql.Identifier(schema, name)))
        done.append(thinned)
    return done


def thin_table(url: str, schema: str, table: str, keys: Sequence[str],
               before: datetime) -> int:
    """Delete the rows of ``schema.table`` before ``before`` that retention does not keep;
    returns how many. Any table a delete works on: plain, a TimescaleDB hypertable (dbt's
    ``maybe_hypertable``) or partitioned."""
    with psycopg.connect(url) as conn:
        if conn.execute("select to_regclass(%s)", (f'"{schema}"."{table}"',)).fetchone() == (
                None,):
            return 0
        columns = _columns(conn, schema, table)
        # a ctid is unique only within one heap: a hypertable's chunks and a partitioned or
        # inherited table's children repeat each other's, so a row is (tableoid, ctid)
        flagged = _flagged(sql.Identifier(schema, table), columns, keys, before,
                           sql.SQL(", tableoid as row_table, ctid as row_ctid"))
        cursor = conn.execute(sql.SQL(
            "delete from {t} where (tableoid, ctid) in"
            " (select row_table, row_ctid from ({f}) as f where not keep)")
            .format(t=sql.Identifier(schema, table), f=flagged))
        return cursor.rowcount
