"""What is already loaded: the posts a source re-polls inside its lookback window, and the
stored rows of posts found deleted."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from dlt_sources._shared.contract import Table


def _exists(conn: psycopg.Connection[Any], dataset: str, table: Table) -> bool:
    found = conn.execute("select to_regclass(%s)", (f"{dataset}.{table.name}",)).fetchone()
    return bool(found and found[0] is not None)


def recent_post_ids(url: str, dataset: str, table: Table, account_id: str,
                    since: datetime) -> list[str]:
    """Ids of an account's loaded posts created after ``since`` (and not known deleted).

    Returns an empty list before the first load, when the table does not exist yet.
    """
    query = sql.SQL("select {id}::text from {tbl} where {acct} = %s and created_at >= %s").format(
        id=sql.Identifier(table.primary_key[0]), tbl=sql.Identifier(dataset, table.name),
        acct=sql.Identifier(table.account_column))
    if "is_deleted" in table.column_names:
        query += sql.SQL(" and not coalesce(is_deleted, false)")
    query += sql.SQL(" order by created_at")
    with psycopg.connect(url) as conn:
        if not _exists(conn, dataset, table):
            return []
        return [r[0] for r in conn.execute(query, (account_id, since)).fetchall()]


def stored_rows(url: str, dataset: str, table: Table, ids: list[str]) -> list[dict[str, Any]]:
    """The loaded rows of ``ids`` with the contract's columns only (a merge replaces whole rows,
    so a post flagged deleted must carry its other columns again)."""
    if not ids:
        return []
    query = sql.SQL("select * from {tbl} where {id} = any(%s)").format(
        tbl=sql.Identifier(dataset, table.name), id=sql.Identifier(table.primary_key[0]))
    keep = set(table.column_names)
    with psycopg.connect(url, row_factory=dict_row) as conn:
        rows = conn.execute(query, (ids,)).fetchall()
    return [{k: v for k, v in row.items() if k in keep} for row in rows]


def latest_date(url: str, dataset: str, table: Table, account_id: str,
                column: str = "metric_date") -> date | None:
    """The latest ``column`` date loaded for an account (None before its first load)."""
    query = sql.SQL("select max({col}) from {tbl} where {acct} = %s").format(
        col=sql.Identifier(column), tbl=sql.Identifier(dataset, table.name),
        acct=sql.Identifier(table.account_column))
    with psycopg.connect(url) as conn:
        if not _exists(conn, dataset, table):
            return None
        row = conn.execute(query, (account_id,)).fetchone()
    return row[0] if row else None


def window_posts(url: str, dataset: str, posts: Table, snapshots: Table, since: datetime,
                 carried: tuple[str, ...] = (), accounts: Collection[str] | None = None
                 ) -> dict[str, dict[str, Any]]:
    """Every loaded, not-deleted post created after ``since`` (of ``accounts`` only, when
    given), by id, with its account, its ``created_at`` and its latest snapshot's
    ``observed_at`` and ``carried`` columns (None before its first snapshot). One query for
    the whole run, never one per post: every account's window in one pass, or, for a few
    accounts, their posts and one index probe each for the latest snapshot (a run of one
    account must not read every account's window: hundreds of such runs make a cycle)."""
    key, snap_key = posts.primary_key[0], snapshots.primary_key[0]
    names = {"id": sql.Identifier(key), "acct": sql.Identifier(posts.account_column),
             "posts": sql.Identifier(dataset, posts.name), "sid": sql.Identifier(snap_key),
             "snaps": sql.Identifier(dataset, snapshots.name),
             "carried": sql.SQL("").join(sql.SQL(", s.{}").format(sql.Identifier(c))
                                         for c in carried),
             "scarried": sql.SQL("").join(sql.SQL(", {}").format(sql.Identifier(c))
                                          for c in carried)}
    if accounts is None:
        query = sql.SQL(
            "select p.{id}::text as post_id, p.{acct}::text as account_id, p.created_at, "
            "s.observed_at{carried} from {posts} p left join (select distinct on ({sid}) "
            "{sid}, observed_at{scarried} from {snaps} where observed_at >= %(since)s "
            "order by {sid}, observed_at desc) s on s.{sid} = p.{id} "
            "where p.created_at >= %(since)s").format(**names)
    else:
        query = sql.SQL(
            "select p.{id}::text as post_id, p.{acct}::text as account_id, p.created_at, "
            "s.observed_at{carried} from {posts} p left join lateral (select observed_at"
            "{scarried} from {snaps} where {sid} = p.{id} and observed_at >= %(since)s "
            "order by observed_at desc limit 1) s on true "
            "where p.created_at >= %(since)s and p.{acct} = any(%(accounts)s)").format(**names)
    if "is_deleted" in posts.column_names:
        query += sql.SQL(" and not coalesce(p.is_deleted, false)")
    query += sql.SQL(" order by p.created_at")
    params = {"since": since, "accounts": sorted(accounts or ())}
    with psycopg.connect(url) as conn:
        if not _exists(conn, dataset, posts):
            return {}
        if not _exists(conn, dataset, snapshots):
            query = sql.SQL(
                "select {id}::text as post_id, {acct}::text as account_id, created_at, "
                "null::timestamptz as observed_at{nulls} from {posts} p "
                "where created_at >= %(since)s").format(
                id=sql.Identifier(key), acct=sql.Identifier(posts.account_column),
                posts=sql.Identifier(dataset, posts.name),
                nulls=sql.SQL("").join(sql.SQL(", null as {}").format(sql.Identifier(c))
                                       for c in carried))
            if accounts is not None:
                query += sql.SQL(" and {} = any(%(accounts)s)").format(
                    sql.Identifier(posts.account_column))
            if "is_deleted" in posts.column_names:
                query += sql.SQL(" and not coalesce(is_deleted, false)")
        rows = conn.cursor(row_factory=dict_row).execute(query, params).fetchall()
    return {r["post_id"]: r for r in rows}
