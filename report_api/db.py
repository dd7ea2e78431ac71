"""One psycopg connection pool per app, opened on first use and closed at shutdown."""

from __future__ import annotations

import threading
from typing import Any

from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool


class Database:
    """Lazily opened pool (so the OpenAPI schema and tests need no database)."""

    def __init__(self, url: str | None, min_size: int = 1, max_size: int = 10):
        self._url = url
        self._lock = threading.Lock()
        self._pool: ConnectionPool | None = None
        self.min_size, self.max_size = min_size, max_size

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
                    self.url, min_size=self.min_size, max_size=self.max_size, open=True,
                    kwargs={"row_factory": dict_row}, timeout=10, name="report-api")
            return self._pool

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
