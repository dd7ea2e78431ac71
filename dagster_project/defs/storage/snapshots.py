"""Which tables hold snapshots, and the cycle's two storage steps over them: partitions created
ahead of each group's sync (:func:`prepare`) and retention after the dbt build
(:func:`apply_retention`). The SQL is in socialpulse.partitions and socialpulse.retention.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
import yaml  # type: ignore[import-untyped]  # no stubs in the environment
from psycopg import sql

from dagster_project.constants import DBT_PROJECT_DIR
from dlt_sources.contracts import contracts
from socialpulse.partitions import ensure_partitioned
from socialpulse.retention import check_retention_days, cutoff, thin_partitioned, thin_table

SNAPSHOT_KINDS = ("post_snapshot", "account_snapshot")


@dataclass(frozen=True)
class SnapshotTable:
    """A table of observations: one row per object (``keys``) and ``observed_at``."""

    schema: str
    table: str
    keys: tuple[str, ...]
    kind: str


def raw_snapshot_tables(group: str | None = None) -> list[SnapshotTable]:
    """The raw snapshot tables the dlt sources write (of ``group``, or all), from their
    contracts."""
    return [SnapshotTable(c.dataset, t.name, tuple(k for k in t.primary_key if k != "observed_at"),
                          t.kind)
            for source, c in contracts().items() if group in (None, source)
            for t in c.tables if t.kind in SNAPSHOT_KINDS]


# dbt's incremental copies of the raw snapshots (dbt_project/models/intermediate): thinned the
# same way, or they would keep every observation the raw tables no longer have
INTERMEDIATE_SNAPSHOT_TABLES = (
    SnapshotTable("intermediate", "int_post_metric_snapshots_unioned", ("post_id",),
                  "post_snapshot"),
    SnapshotTable("intermediate", "int_account_snapshots_unioned",
                  ("platform", "platform_account_id"), "account_snapshot"),
)


def prepare(url: str, group: str) -> list[str]:
    """Partition the group's raw snapshot tables and create their weeks ahead; returns the
    partitions created. Before the group's sync: a table the sync creates is converted by the
    next cycle's call."""
    created: list[str] = []
    for t in raw_snapshot_tables(group):
        created += ensure_partitioned(url, t.schema, t.table)
    return created


def dbt_vars() -> dict[str, Any]:
    """The dbt project's vars (dbt_project.yml)."""
    with (DBT_PROJECT_DIR / "dbt_project.yml").open() as fh:
        return dict(yaml.safe_load(fh).get("vars") or {})


def latest_post_observation(url: str) -> Any:
    """The latest observation of any post (what viral_candidates' window is relative to)."""
    with psycopg.connect(url) as conn:
        parts = [sql.SQL("select max(observed_at) as m from {}").format(
            sql.Identifier(t.schema, t.table))
            for t in raw_snapshot_tables() if t.kind == "post_snapshot"
            and conn.execute("select to_regclass(%s)", (f'"{t.schema}"."{t.table}"',)
                             ).fetchone() != (None,)]
        if not parts:
            return None
        row = conn.execute(sql.SQL("select max(m) from ({}) as u").format(
            sql.SQL(" union all ").join(parts))).fetchone()
    return row[0] if row else None


def check_retention(days: int) -> None:
    """A ConfigError when retention of ``days`` would thin what a mart still reads one by one
    (against the dbt project's vars). The cycle checks it before its first step too, so a bad
    SNAPSHOT_RETENTION_DAYS stops a run before its syncs rather than after its dbt build."""
    found = dbt_vars()
    check_retention_days(days, int(found["viral_window_days"]), int(found["lookback_days"]))


def apply_retention(url: str, days: int) -> dict[str, Any]:
    """Thin every snapshot table's observations older than ``days`` (one cutoff for all);
    returns the cutoff, the partitions thinned and the intermediate rows deleted."""
    check_retention(days)
    latest = latest_post_observation(url)
    if latest is None:
        return {"cutoff": None, "partitions_thinned": [], "intermediate_rows_deleted": 0}
    before = cutoff(latest, days)
    thinned: list[str] = []
    with psycopg.connect(url) as conn:
        partitioned = {r[0] for r in conn.execute(
            "select n.nspname || '.' || c.relname from pg_class c join pg_namespace n"
            " on n.oid = c.relnamespace where c.relkind = 'p'").fetchall()}
        existing = {r[0] for r in conn.execute(
            "select schemaname || '.' || tablename from pg_tables").fetchall()}
    raw = [t for t in raw_snapshot_tables() if f"{t.schema}.{t.table}" in partitioned]
    for t in raw:
        thinned += thin_partitioned(url, t.schema, t.table, t.keys, before)
    # the dbt copies only once every raw table is thinned, or a full rebuild would differ. A
    # TimescaleDB hypertable (maybe_hypertable on the dbt copies) has relkind 'r', so counts as
    # plain here: its rows go by thin_table's delete, which tells chunks apart by tableoid
    plain = existing - partitioned
    deleted = 0 if any(f"{t.schema}.{t.table}" in plain for t in raw_snapshot_tables()) else (
        sum(thin_table(url, t.schema, t.table, t.keys, before)
            for t in INTERMEDIATE_SNAPSHOT_TABLES))
    return {"cutoff": before.isoformat(), "partitions_thinned": thinned,
            "intermediate_rows_deleted": deleted}
