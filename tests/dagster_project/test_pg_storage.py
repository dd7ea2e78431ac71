"""Dagster's Postgres storages on one pooled connection per process (dagster_project.pg_storage).

Counted on the server: ``pg_stat_database.sessions`` is every session ever opened to the
database, so it shows what a step's event writes cost in connections.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import psycopg
import pytest
from dagster._core.events import EngineEventData

from dagster_project import pg_storage
from dagster_project.instance import dagster_yaml, storage_url
from tests.warehouse import ADMIN_URL

STOCK_YAML = 'storage:\n  postgres:\n    postgres_url: "{url}"\n'


@pytest.fixture()
def storage_db() -> Iterator[str]:
    name = f"sp_dagster_pool_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')


def _sessions(url: str) -> int:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute("select pg_stat_clear_snapshot()")
        row = conn.execute("select sessions from pg_stat_database where datname = %s",
                           (name,)).fetchone()
    return int(row[0]) if row else 0


def _steps_like_a_worker(home: Path, events: int, instances: int) -> str:
    """What a Celery worker does: a new instance per step, each writing ``events`` events."""
    run_id = ""
    for _ in range(instances):
        with dg.DagsterInstance.from_config(str(home)) as instance:
            if not run_id:
                run_id = instance.create_run_for_job(
                    dg.GraphDefinition(name="noop", node_defs=[]).to_job()).run_id
            run = instance.get_run_by_id(run_id)
            for i in range(events):
                instance.report_engine_event(f"event {i}", run, EngineEventData())
    return run_id


def _home(folder: Path, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "dagster.yaml").write_text(text)
    return folder


def test_a_process_writes_its_events_on_a_few_connections(storage_db, tmp_path) -> None:
    """30 events from three instances: the stock storages open a connection per query, the
    pooled ones keep theirs (the table checks included) and every event is stored."""
    pooled_home = _home(tmp_path / "pooled", dagster_yaml(storage_db))
    pg_storage._checked.clear()
    run_id = _steps_like_a_worker(pooled_home, events=10, instances=1)  # tables created
    before = _sessions(storage_db)
    _steps_like_a_worker(pooled_home, events=10, instances=3)
    pooled = _sessions(storage_db) - before

    stock_home = _home(tmp_path / "stock", STOCK_YAML.format(url=storage_url(storage_db)))
    before = _sessions(storage_db)
    _steps_like_a_worker(stock_home, events=10, instances=3)
    stock = _sessions(storage_db) - before

    assert stock >= 30, stock
    assert pooled <= 3, pooled
    with dg.DagsterInstance.from_config(str(pooled_home)) as instance:
        assert isinstance(instance.event_log_storage, pg_storage.PooledPostgresEventLogStorage)
        assert len([r for r in instance.all_logs(run_id)
                    if r.dagster_event and r.dagster_event.event_type_value == "ENGINE_EVENT"
                    ]) == 10


def test_a_forked_child_opens_its_own_connection(storage_db, tmp_path) -> None:
    """Celery's prefork pool forks after the app is imported: a child must not write on its
    parent's socket (interleaved protocol messages), so it gets its own pool."""
    home = _home(tmp_path, dagster_yaml(storage_db))
    run_id = _steps_like_a_worker(home, events=1, instances=1)
    pid = os.fork()
    if pid == 0:  # the child: write, then leave at once without running the parent's atexit
        try:
            with dg.DagsterInstance.from_config(str(home)) as instance:
                instance.report_engine_event("from the child", instance.get_run_by_id(run_id),
                                             EngineEventData())
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    with dg.DagsterInstance.from_config(str(home)) as instance:
        instance.report_engine_event("from the parent", instance.get_run_by_id(run_id),
                                     EngineEventData())
        messages = [r.dagster_event.message for r in instance.all_logs(run_id) if r.dagster_event]
    assert "from the child" in messages and "from the parent" in messages
