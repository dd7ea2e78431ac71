"""Indexes on the raw tables, which dlt creates without any on their keys.

dlt's Postgres destination makes only its own ``UNIQUE (_dlt_id)``, so a merge (delete the
loaded keys, insert the new rows) and every read of a few posts scanned the whole table: one
account's 15-minute load read all of the dataset's posts and snapshots, and hundreds of such
loads make a cycle. Each contract table gets a btree on its primary key (the merge key) and one
on ``_dlt_load_id`` (what a load wrote is counted by it, ``outcomes.loaded_row_counts``), and a
post table one on (account, created_at) for an account's window. Not unique: a table loaded
before has no guarantee to offer, and the lookups need none. On a partitioned snapshot table
the index is the parent's, so weeks created or thinned later get theirs when attached.
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from dlt_sources._shared.contract import SourceContract, Table
from socialpulse.partitions import lock_table_key


def table_indexes(table: Table) -> list[tuple[str, tuple[str, ...]]]:
    """(index name, columns) of the indexes a raw table carries."""
    wanted = [(f"{table.name}__sp_key", tuple(table.primary_key)),
              (f"{table.name}__sp_load", ("_dlt_load_id",))]
    if table.kind == "post" and table.account_column and "created_at" in table.column_names:
        wanted.append((f"{table.name}__sp_account_created",
                       (table.account_column, "created_at")))
    return wanted


def ensure_indexes(url: str, contract: SourceContract) -> list[str]:
    """Create the missing indexes of the source's raw tables that exist; returns the indexes
    created. Cheap when they are there (a catalog lookup per table); each table under its
    advisory lock, the one partition changes take, so a conversion never races a creation."""
    created: list[str] = []
    with psycopg.connect(url, autocommit=True) as conn:
        have = {r[0] for r in conn.execute(
            "select indexname from pg_indexes where schemaname = %s", (contract.dataset,))}
        for table in contract.tables:
            missing = [(n, c) for n, c in table_indexes(table) if n not in have]
            if not missing:
                continue
            with conn.transaction():
                lock_table_key(conn, contract.dataset, table.name)
                if conn.execute("select to_regclass(%s)",
                                (f'"{contract.dataset}"."{table.name}"',)).fetchone() == (None,):
                    continue  # not loaded yet: the next sync's call creates them
                for name, columns in missing:
                    conn.execute(sql.SQL("create index if not exists {} on {} ({})").format(
                        sql.Identifier(name), sql.Identifier(contract.dataset, table.name),
                        sql.SQL(", ").join(map(sql.Identifier, columns))))
                    created.append(f"{contract.dataset}.{name}")
    return created
