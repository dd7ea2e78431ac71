"""The warehouse's newest observation. A sandbox started after `make demo` continues the
simulated timeline from it: metrics observed going back in time would make every figure after
them wrong (negative growth, snapshots older than the ones they follow)."""

from __future__ import annotations

from datetime import datetime

from socialpulse.errors import ConfigError
from socialpulse.warehouse import connect, database_url


def latest_observation(url: str) -> datetime | None:
    """The newest observed_at in the raw snapshot tables (None before the first sync)."""
    with connect(url) as conn:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.columns "
            "where table_schema like 'raw\\_%%' and table_schema not like '%%\\_staging' "
            "and column_name = 'observed_at'").fetchall()
        latest = None
        for t in tables:
            row = conn.execute(
                f'select max(observed_at) as at from "{t["table_schema"]}"."{t["table_name"]}"'
            ).fetchone()
            if row and row["at"] and (latest is None or row["at"] > latest):
                latest = row["at"]
    return latest


def warehouse_latest_observation() -> datetime | None:
    """:func:`latest_observation` of the warehouse in use (``DATABASE_URL`` or the embedded
    Postgres, which is not started for this); None when it is not reachable or empty."""
    try:
        return latest_observation(database_url(start_embedded=False))
    except ConfigError:  # not reachable (connect says why; here it only means "no timeline")
        return None
