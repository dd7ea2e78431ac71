"""Which Postgres the stack talks to, and connections to it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg.rows import dict_row

from socialpulse import embedded_pg
from socialpulse.errors import ConfigError
from socialpulse.settings import get_settings

DictConnection = psycopg.Connection[dict[str, Any]]


def database_url(start_embedded: bool = True) -> str:
    """Return ``DATABASE_URL`` if set, else the embedded server's URL (starting it on demand)."""
    settings = get_settings()
    if settings.database_url:
        if not settings.database_url.startswith(("postgresql://", "postgres://")):
            raise ConfigError(
                "DATABASE_URL must start with postgresql:// (got "
                f"{settings.database_url.split('://')[0]}://...)"
            )
        return settings.database_url
    data_dir = settings.embedded_pg_dir
    if start_embedded:
        return embedded_pg.start(data_dir)
    return embedded_pg.url(data_dir)


@contextmanager
def connect(url: str | None = None, autocommit: bool = False) -> Iterator[DictConnection]:
    """Open a psycopg connection (rows as dicts); commit on success, roll back on error."""
    target = url or database_url()
    try:
        conn: DictConnection = psycopg.connect(target, row_factory=dict_row,
                                               autocommit=autocommit)
    except psycopg.OperationalError as exc:
        parts = urlsplit(target)
        host = f"{parts.hostname}:{parts.port or 5432}"
        raise ConfigError(
            f"cannot connect to Postgres at {host}: check DATABASE_URL or run `socialpulse db up`"
        ) from exc
    with conn:
        yield conn
