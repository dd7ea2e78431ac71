"""Helpers the source tests share: connect a sandbox world, query the warehouse, count rows."""

from __future__ import annotations

import psycopg
from psycopg.rows import dict_row

from tests.warehouse import Warehouse


def q(url: str, query: str, *params) -> list[dict]:
    """Rows of ``query`` as dicts."""
    with psycopg.connect(url, row_factory=dict_row) as conn:
        return conn.execute(query, params).fetchall()


def raw_counts(url: str, dataset: str) -> dict[str, int]:
    """Rows per loaded table of ``dataset`` (dlt's own tables left out)."""
    tables = [r["table_name"] for r in q(
        url, "select table_name from information_schema.tables where table_schema = %s "
        "and table_name not like '\\_dlt%%'", dataset)]
    return {t: q(url, f'select count(*) as n from "{dataset}"."{t}"')[0]["n"] for t in tables}


def connect_world(sandbox, db_url: str, config: dict, faults: dict | None = None,
                  token_ttl_s: dict | None = None) -> dict:
    """Reset the sandbox to ``config``, export its app secrets and connect its accounts."""
    return Warehouse(db_url, sandbox).connect_world(config, faults, token_ttl_s)
