"""Dagster's Postgres storages (runs, events, schedules) on one pooled connection per process.

dagster-postgres builds its storages on SQLAlchemy's ``NullPool``: every query, every event a
step writes, opens a new Postgres connection (a backend forked, authenticated and torn down).
A Celery worker also builds a new instance, and so new storages, for every step it runs. At
about 50 connections per account step that was a fifth of a worker's CPU per step, and the
server's forks came out of the same two cores (DECISIONS.md, "Dagster storage on a pool").

These subclasses change only the engine: one ``QueuePool`` per storage URL and process, shared
by every instance the process builds, with a connection checked before use (a restarted server
or a dropped connection is replaced, not raised). The table check of ``should_autocreate_tables``
runs once per process instead of once per instance, and the asset-check table's existence,
which the event log asks about for every check event of a dbt build, is asked once.
``dagster.yaml`` names them (``dagster_project.instance.dagster_yaml``); the webserver swaps
in its own pool as usual (``optimize_for_webserver``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any, ClassVar

from dagster_postgres.event_log import PostgresEventLogStorage
from dagster_postgres.run_storage import PostgresRunStorage
from dagster_postgres.schedule_storage import PostgresScheduleStorage
from dagster_postgres.utils import (
    create_pg_engine,
    get_token_provider_from_config,
    pg_url_from_config,
)
from sqlalchemy.engine import Engine

# one step at a time per worker process; the overflow covers the daemon's threads and the
# run process's event watcher, each overflow connection closed when it is returned, so at
# rest a process holds one
POOL_SIZE = 1
MAX_OVERFLOW = 20
POOL_RECYCLE_S = 3600

_engines: dict[str, Engine] = {}
_checked: set[tuple[str, str]] = set()
_lock = threading.Lock()


def pooled_engine(url: str, token_provider: Any = None) -> Engine:
    """The process's pooled engine for ``url`` (made on first use; ``token_provider``: the
    storage's token authentication, when configured)."""
    with _lock:
        if url not in _engines:
            _engines[url] = create_pg_engine(
                url, token_provider, isolation_level="AUTOCOMMIT", pool_size=POOL_SIZE,
                max_overflow=MAX_OVERFLOW, pool_recycle=POOL_RECYCLE_S, pool_pre_ping=True)
        return _engines[url]


def _forget_engines() -> None:
    # a forked child (Celery's prefork pool) must not share its parent's sockets, nor inherit
    # the lock held by a parent's thread at the fork
    global _lock
    _lock = threading.Lock()
    for engine in _engines.values():
        engine.dispose(close=False)
    _engines.clear()


os.register_at_fork(after_in_child=_forget_engines)


def _check_tables_once(kind: str, url: str, wanted: bool) -> bool:
    """Whether this instance should run the storage's create-tables check: the first one of
    the process for ``(kind, url)`` does; the others know the answer."""
    with _lock:
        first = (kind, url) not in _checked
        _checked.add((kind, url))
    return wanted and first


def _arguments(inst_data: Any, config_value: Mapping[str, Any]) -> dict[str, Any]:
    return {"inst_data": inst_data, "postgres_url": pg_url_from_config(config_value),
            "should_autocreate_tables": config_value.get("should_autocreate_tables", True),
            "token_provider": get_token_provider_from_config(config_value)}


class _PooledEngine:
    """The pooled engine and the once-per-process table check, for any of the three
    storages: a mixin placed before the dagster-postgres class it changes."""

    _tables_kind: ClassVar[str]

    def __init__(self, postgres_url: str, should_autocreate_tables: bool = True,
                 **kwargs: Any) -> None:
        check = _check_tables_once(self._tables_kind, postgres_url, should_autocreate_tables)
        super().__init__(postgres_url, check, **kwargs)  # type: ignore[call-arg]
        self.should_autocreate_tables = should_autocreate_tables
        self._engine = pooled_engine(postgres_url, kwargs.get("token_provider"))

    @classmethod
    def from_config_value(cls, inst_data: Any, config_value: Mapping[str, Any]) -> Any:
        return cls(**_arguments(inst_data, config_value))


class PooledPostgresRunStorage(_PooledEngine, PostgresRunStorage):
    """Dagster's Postgres run storage on the process's pooled engine."""

    _tables_kind = "runs"


class PooledPostgresEventLogStorage(_PooledEngine, PostgresEventLogStorage):
    """Dagster's Postgres event log storage on the process's pooled engine."""

    _tables_kind = "events"
    _has_asset_check_table = False

    @property
    def supports_asset_checks(self) -> bool:
        # asked for every check event; the table appears only by a migration, which a
        # process running steps never does midway
        if not self._has_asset_check_table:
            self._has_asset_check_table = bool(super().supports_asset_checks)
        return self._has_asset_check_table


class PooledPostgresScheduleStorage(_PooledEngine, PostgresScheduleStorage):
    """Dagster's Postgres schedule storage on the process's pooled engine."""

    _tables_kind = "schedules"
