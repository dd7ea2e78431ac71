"""Apply the ordered SQL migrations in ``socialpulse/migrations`` exactly once each."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import psycopg

from socialpulse.warehouse import connect

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# any constant works; it only serialises concurrent `migrate` calls
_LOCK_ID = 727_001


def pending(conn: psycopg.Connection[Any]) -> list[Path]:
    """Migration files not yet recorded in ``app.schema_migrations``."""
    conn.execute("create schema if not exists app")
    conn.execute(
        "create table if not exists app.schema_migrations ("
        " version text primary key, applied_at timestamptz not null default now())"
    )
    rows = conn.execute("select version from app.schema_migrations").fetchall()
    done = {r["version"] if isinstance(r, dict) else r[0] for r in rows}
    return [p for p in sorted(MIGRATIONS_DIR.glob("*.sql")) if p.stem not in done]


def migrate(url: str) -> list[str]:
    """Apply pending migrations in one transaction; return the versions applied."""
    with connect(url) as conn:
        conn.execute("select pg_advisory_xact_lock(%s)", (_LOCK_ID,))
        applied = []
        for path in pending(conn):
            log.info("applying migration %s", path.name)
            conn.execute(path.read_text())
            conn.execute("insert into app.schema_migrations (version) values (%s)", (path.stem,))
            applied.append(path.stem)
        return applied
