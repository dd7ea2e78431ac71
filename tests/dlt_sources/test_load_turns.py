"""Two syncs loading into one raw dataset at once (two Celery workers, or `make sync` beside a
Dagster cycle) must not erase each other's rows.

dlt merges through ``<dataset>_staging`` tables shared by every pipeline of the dataset and
truncates them when a load starts. The test makes the race certain: a lock on the destination
table holds the first load between its copy into staging and its merge while the second starts.
"""

from __future__ import annotations

import threading
import time

import dlt
import psycopg

from dlt_sources.pipeline import destination, run_in_turn

DATASET = "raw_turns"


@dlt.resource(name="posts", write_disposition="merge", primary_key="post_id")
def _posts(account: str, n: int):
    yield [{"post_id": f"{account}-{i}", "account": account} for i in range(n)]


def _sync(url: str, tmp_path, account: str) -> None:
    pipeline = dlt.pipeline(pipeline_name=f"turns_{account}", destination=destination(url),
                            dataset_name=DATASET, pipelines_dir=str(tmp_path / "dlt"))
    run_in_turn(pipeline, _posts(account, 5), url, "insert_values")


def _waiting(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("select count(*) from pg_locks where not granted").fetchone()
    return int(row[0]) if row else 0


def _wait_for(url: str, n: int, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while _waiting(url) < n:
        assert time.monotonic() < deadline, f"fewer than {n} loads waiting"
        time.sleep(0.05)


def test_concurrent_loads_into_one_dataset_keep_every_row(db_url, tmp_path):
    _sync(db_url, tmp_path, "seed")  # the tables exist before the race
    errors: list[BaseException] = []

    def sync(account: str) -> None:
        try:
            _sync(db_url, tmp_path, account)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    with psycopg.connect(db_url) as blocker:
        blocker.execute(f"lock table {DATASET}.posts in exclusive mode")
        first = threading.Thread(target=sync, args=("a",))
        first.start()
        _wait_for(db_url, 1)  # a's rows are in staging, its merge waits on the lock
        second = threading.Thread(target=sync, args=("b",))
        second.start()
        _wait_for(db_url, 2)  # b waits too: on its turn, or (unguarded) after truncating staging
        blocker.rollback()
    first.join(120)
    second.join(120)

    assert not errors, errors
    with psycopg.connect(db_url) as conn:
        counts = dict(conn.execute(
            f"select account, count(*) from {DATASET}.posts group by account").fetchall())
    assert counts == {"seed": 5, "a": 5, "b": 5}
