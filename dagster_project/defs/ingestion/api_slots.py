"""API slots: at most ``SOCIALPULSE_POOL_LIMIT`` account steps of one source group (one
platform app) call their platform at once, over every worker and every run.

A slot is a Postgres session advisory lock on the warehouse, taken by the step itself once it
is about to call the platform and released the moment it is done; a killed worker's slot goes
with its connection. Dagster pools did this before; their blocked claims are re-checked by the
run process on a backoff growing to 15 s, which left workers idle for half of a 195-account
cycle (DECISIONS.md, "API slots").
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg.rows import tuple_row

from socialpulse import locks
from socialpulse.errors import ConfigError

POOL_LIMIT_ENV = "SOCIALPULSE_POOL_LIMIT"
DEFAULT_POOL_LIMIT = 2
_SLOT_LOCK = locks.API_SLOT
# how often a step waiting for a slot tries again: a few cheap queries a second per waiter
_POLL_S = 0.1


def pool_limit() -> int:
    """The configured number of slots per source group; a ConfigError when not a positive
    integer."""
    raw = os.environ.get(POOL_LIMIT_ENV) or str(DEFAULT_POOL_LIMIT)
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if limit < 1:
        raise ConfigError(f"{POOL_LIMIT_ENV} must be a positive integer, got {raw!r}")
    return limit


@dataclass
class SlotHold:
    """Which slot a step held, how long it waited for it, and when (epoch seconds)."""

    slot: int
    waited_s: float
    acquired_at: float
    released_at: float | None = None


@contextmanager
def api_slot(conn: psycopg.Connection[Any], group: str, limit: int | None = None
             ) -> Iterator[SlotHold]:
    """Hold one of the group's slots for the block; waits (polling) while all are taken.

    ``conn`` must be in autocommit mode and stay open for the block."""
    limit = limit or pool_limit()
    started = time.monotonic()
    slots = list(range(limit))
    while True:
        random.shuffle(slots)  # waiters spread over the slots instead of all trying slot 0
        for slot in slots:
            key = (_SLOT_LOCK, f"{group}_api:{slot}")
            row = conn.cursor(row_factory=tuple_row).execute(
                "select pg_try_advisory_lock(%s, hashtext(%s))", key).fetchone()
            if row and row[0]:
                hold = SlotHold(slot, time.monotonic() - started, time.time())
                try:
                    yield hold
                finally:
                    # stamped before the unlock: the next holder's acquired_at is always later
                    hold.released_at = time.time()
                    conn.execute("select pg_advisory_unlock(%s, hashtext(%s))", key)
                return
        time.sleep(_POLL_S)
