"""One psycopg connection pool per app, opened on first use and closed at shutdown.

Why a slot semaphore in front of the pool: route code is sync and runs on anyio's worker
threads (40 by default). If more requests than there are connections each sat on a thread
waiting for the pool, the holders of the connections could not get a thread to finish, and the
process locked up. A request therefore waits for a *slot* on the event loop (no thread), with a
deadline, and only a slot holder (at most ``pool size``, below the thread count) takes a thread
and a connection, so the pool wait never blocks a thread.
"""

from __future__ import annotations

import threading
from typing import Any

import anyio
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from report_api.config import ApiSettings


class Overloaded(Exception):
    """No connection slot within the request deadline (Postgres may be fine)."""


class Database:
    """Lazily opened pool (so the OpenAPI schema and tests need no database)."""

    def __init__(self, url: str | None, settings: ApiSettings | None = None):
        settings = settings or ApiSettings()
        self._url = url
        self._lock = threading.Lock()
        self._pool: ConnectionPool | None = None
        self._slots: anyio.Semaphore | None = None
        self.max_size = settings.db_pool_size
        self.deadline = settings.request_deadline_seconds
        self.statement_timeout_ms = settings.statement_timeout_ms

    @property
    def url(self) -> str:
        if self._url is None:
            from socialpulse.warehouse import database_url

            self._url = database_url()
        return self._url

    def pool(self) -> ConnectionPool[Any]:
        with self._lock:
            if self._pool is None:
                self._pool = ConnectionPool(
                    self.url, min_size=1, max_size=self.max_size, open=True,
                    kwargs={"row_factory": dict_row,
                            "options": f"-c statement_timeout={self.statement_timeout_ms}"},
                    timeout=self.deadline, name="report-api")
            return self._pool

    def slots(self) -> anyio.Semaphore:
        """One slot per pooled connection (created on the serving event loop)."""
        if self._slots is None:
            self._slots = anyio.Semaphore(self.max_size)
        return self._slots

    async def acquire_slot(self, timeout: float | None = None) -> anyio.Semaphore:
        """Wait for a slot on the event loop; :class:`Overloaded` after the deadline."""
        slots = self.slots()
        try:
            with anyio.fail_after(self.deadline if timeout is None else timeout):
                await slots.acquire()
        except TimeoutError as exc:
            raise Overloaded("no database connection free within the request deadline") \
                from exc
        return slots

    def reset_slots(self) -> None:
        """A new event loop (app startup) gets fresh slots."""
        self._slots = None

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
