"""Snapshot tables range-partitioned by week of ``observed_at`` (native Postgres partitioning).

dlt creates its raw tables as plain tables and then only appends to (or merges into) whatever
table of that name it finds, adding missing columns with ``ALTER TABLE``; both work on a
partitioned parent. So the cycle calls :func:`ensure_partitioned` before each sync: a plain
table is converted once (its rows copied into a partitioned table of the same columns), and the
weekly partitions are created ahead, from the first observation to a few weeks past the later
of now and the latest observation (the sandbox's clock may run ahead of the wall clock). A
default partition catches anything outside them, so no row is ever refused; the partitions
created later take such rows out of it first (Postgres refuses a partition whose range has rows
in the default partition).

Weeks start on Monday 00:00 UTC, so a partition holds whole UTC days (what retention thins by).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
from psycopg import sql

WEEK = timedelta(days=7)
# weeks created ahead of the latest observation: a cycle that does not run for a while still
# lands in real partitions
WEEKS_AHEAD = 4
THINNED_SUFFIX = "_daily"  # a partition retention has thinned (socialpulse.retention)


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 UTC of the week ``moment`` falls in."""
    day = moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def partition_name(table: str, start: datetime) -> str:
    """``<table>_w<yyyymmdd>`` for the week starting at ``start``."""
    return f"{table}_w{start:%Y%m%d}"


def is_partitioned(conn: psycopg.Connection, schema: str, table: str) -> bool | None:
    """True for a partitioned table, False for a plain one, None when it does not exist."""
    row = conn.execute(
        "select c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = %s and c.relname = %s", (schema, table)).fetchone()
    return None if row is None else row[0] == "p"


def lock_table_key(conn: psycopg.Connection, schema: str, table: str) -> None:
    """Take the transaction's advisory lock of ``schema.table``. Whatever changes its partitions
    (:func:`ensure_partitioned`, retention's thinning) takes it before any other lock, so two of
    them never interleave or take table locks in opposite orders (a deadlock)."""
    conn.execute("select pg_advisory_xact_lock(hashtextextended(%s, 0))",
                 (f'"{schema}"."{table}"',))


def partitions(conn: psycopg.Connection, schema: str, table: str
               ) -> list[tuple[str, datetime | None, datetime | None]]:
    """(name, lower bound, upper bound) of every partition; the default one has no bounds."""
    rows = conn.execute(
        "select c.relname, pg_get_expr(c.relpartbound, c.oid) from pg_inherits i"
        " join pg_class c on c.oid = i.inhrelid"
        " where i.inhparent = to_regclass(%s)", (f'"{schema}"."{table}"',)).fetchall()
    found = []
    for name, bound in rows:
        if bound == "DEFAULT":
            found.append((name, None, None))
            continue
        lo, hi = conn.execute(
            "select (regexp_match(%(b)s, 'FROM \\(''([^'']+)''\\)'))[1]::timestamptz,"
            " (regexp_match(%(b)s, 'TO \\(''([^'']+)''\\)'))[1]::timestamptz",
            {"b": bound}).fetchone() or (None, None)
        found.append((name, lo, hi))
    return sorted(found, key=lambda p: (p[1] is not None, p[1] or datetime.min.replace(tzinfo=UTC)))


def _convert(conn: psycopg.Connection, schema: str, table: str, column: str) -> None:
    # the same columns (types, not-null, defaults) without dlt's UNIQUE (_dlt_id): a unique
    # constraint of a partitioned table must include the partition key
    old = f"{table}__unpartitioned"
    conn.execute(sql.SQL("alter table {} rename to {}").format(
        sql.Identifier(schema, table), sql.Identifier(old)))
    conn.execute(sql.SQL("create table {} (like {} including defaults) partition by range ({})")
                 .format(sql.Identifier(schema, table), sql.Identifier(schema, old),
                         sql.Identifier(column)))
    conn.execute(sql.SQL("create table {} partition of {} default").format(
        sql.Identifier(schema, f"{table}_default"), sql.Identifier(schema, table)))
    conn.execute(sql.SQL("insert into {} select * from {}").format(
        sql.Identifier(schema, table), sql.Identifier(schema, old)))
    # dbt's staging views read the old table: they go with it and the cycle's dbt build, which
    # always follows the sync, creates them again over the partitioned table
    conn.execute(sql.SQL("drop table {} cascade").format(sql.Identifier(schema, old)))


def _add_week(conn: psycopg.Connection, schema: str, table: str, column: str,
              start: datetime) -> None:
    name, end = partition_name(table, start), start + WEEK
    parent, part = sql.Identifier(schema, table), sql.Identifier(schema, name)
    default = sql.Identifier(schema, f"{table}_default")
    # a standalone table first: rows of this week that reached the default partition move
    # into it, then it is attached (Postgres would refuse the range while they are there)
    conn.execute(sql.SQL("create table {} (like {} including defaults)").format(part, parent))
    conn.execute(sql.SQL(
        "with moved as (delete from {d} where {c} >= %(lo)s and {c} < %(hi)s returning *)"
        " insert into {p} select * from moved").format(d=default, c=sql.Identifier(column),
                                                        p=part), {"lo": start, "hi": end})
    attach_week(conn, schema, table, name, start)


def attach_week(conn: psycopg.Connection, schema: str, table: str, name: str,
                start: datetime) -> None:
    """Attach the standalone table ``schema.name`` as the partition of the week ``start``."""
    conn.execute(sql.SQL("alter table {} attach partition {} for values from ({}) to ({})")
                 .format(sql.Identifier(schema, table), sql.Identifier(schema, name),
                         sql.Literal(start), sql.Literal(start + WEEK)))


def ensure_partitioned(url: str, schema: str, table: str, column: str = "observed_at",
                       now: datetime | None = None, weeks_ahead: int = WEEKS_AHEAD) -> list[str]:
    """Make ``schema.table`` (when it exists) partitioned by week of ``column`` with a default
    partition, and create the missing weeks from its first row to ``weeks_ahead`` weeks past
    the later of ``now`` (default: the wall clock) and its last row. Returns the partitions
    created. One transaction per table; concurrent callers wait on its advisory lock."""
    created: list[str] = []
    with psycopg.connect(url) as conn:
        lock_table_key(conn, schema, table)
        if is_partitioned(conn, schema, table) is None:
            return created
        conn.execute(sql.SQL("lock table {} in access exclusive mode").format(
            sql.Identifier(schema, table)))
        # read under the lock: a caller that waited on it finds the table converted already
        if not is_partitioned(conn, schema, table):
            _convert(conn, schema, table, column)
            created.append(f"{table}_default")
        first, last = conn.execute(sql.SQL("select min({c}), max({c}) from {t}").format(
            c=sql.Identifier(column), t=sql.Identifier(schema, table))).fetchone() or (None, None)
        latest = max(filter(None, [now or datetime.now(UTC), last]))
        have = {lo for _, lo, _ in partitions(conn, schema, table) if lo is not None}
        start = week_start(min(filter(None, [first, latest])))
        while start <= week_start(latest) + weeks_ahead * WEEK:
            if start not in have:
                _add_week(conn, schema, table, column, start)
                created.append(partition_name(table, start))
            start += WEEK
    return created
