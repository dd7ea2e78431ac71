"""API slots: a source group's account syncs at once never exceed the limit, a waiting step
gets the first slot freed, and a bad limit is a clear configuration error."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from dagster_project.defs.ingestion.api_slots import POOL_LIMIT_ENV, api_slot, pool_limit
from socialpulse.errors import ConfigError


def test_no_more_holders_than_slots_and_a_waiter_gets_the_freed_one(db_url):
    holds: list[tuple[str, float, float]] = []
    release = threading.Event()

    def hold(name: str, until: threading.Event | None) -> None:
        with psycopg.connect(db_url, autocommit=True) as conn, \
                api_slot(conn, "meta", limit=2) as slot:
            if until is not None:
                until.wait(30)
        holds.append((name, slot.acquired_at, slot.released_at or 0.0))

    first = [threading.Thread(target=hold, args=(n, release)) for n in ("a", "b")]
    for t in first:
        t.start()
    time.sleep(0.5)  # both slots taken
    waiter = threading.Thread(target=hold, args=("c", None))
    waiter.start()
    time.sleep(0.5)
    assert waiter.is_alive() and not holds  # c waits while a and b hold both slots
    # another group's slots are its own
    with psycopg.connect(db_url, autocommit=True) as conn, \
            api_slot(conn, "twitter", limit=2) as other:
        assert other.waited_s < 0.5
    release.set()
    for t in [*first, waiter]:
        t.join(30)
    by_name = {name: (acquired, released) for name, acquired, released in holds}
    assert set(by_name) == {"a", "b", "c"}
    assert by_name["c"][0] >= min(by_name["a"][1], by_name["b"][1])


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_a_bad_limit_is_a_configuration_error(monkeypatch, value):
    monkeypatch.setenv(POOL_LIMIT_ENV, value)
    with pytest.raises(ConfigError, match=POOL_LIMIT_ENV):
        pool_limit()


def test_the_limit_defaults_to_two(monkeypatch):
    monkeypatch.delenv(POOL_LIMIT_ENV, raising=False)
    assert pool_limit() == 2
