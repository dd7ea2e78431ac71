"""The cycle on the Celery executor: two real worker processes on RabbitMQ, Postgres instance
storage, per-account partitions and pools, and a worker killed in the middle of its step.

One tiny world, one warehouse loaded on Celery, one loaded in-process for comparison. The
workers read their own queue (``DAGSTER_CELERY_QUEUE``), so other runs on the same broker never
take these steps.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
import psycopg
import pytest

from dagster_project.cycle import run_cycle
from dagster_project.defs.ingestion.api_slots import POOL_LIMIT_ENV
from dagster_project.defs.ingestion.partitions import PARTITIONS, connected_keys, sync_partitions
from dagster_project.instance import dagster_yaml
from dagster_project.worker_processes import start_worker, stop_process, wait_until_ready
from tests.conftest import Sandbox
from tests.warehouse import ADMIN_URL, Warehouse, warehouse

pytestmark = pytest.mark.slow

# every platform, two accounts on most groups (so two workers can share a group), few posts
TINY_WORLD = {"workspaces_per_agency": 1, "competitors_per_workspace": 1, "posts_per_account": 4,
              "history_days": 3.0, "comments_per_post": 1.0}
WORKERS = ("w1", "w2")
MARTS = ("posts", "comments", "accounts", "post_metrics_daily")
# columns stamped by the load or the dbt invocation, not the data
VOLATILE = ("_dlt", "loaded", "processed", "invocation", "updated_at", "refreshed", "built",
            "synced")


@dataclass
class CeleryWorld:
    wh: Warehouse
    home: Path
    queue: str
    workers: dict[str, subprocess.Popen]
    logs: dict[str, Path]

    def instance(self) -> dg.DagsterInstance:
        return dg.DagsterInstance.from_config(str(self.home))

    def log_tail(self) -> str:
        return "\n".join(f"--- {n}\n" + p.read_text()[-3000:] for n, p in self.logs.items())


def _wait_ready(world: CeleryWorld, timeout_s: float = 90) -> None:
    try:
        wait_until_ready(list(world.workers), list(world.workers.values()), timeout_s)
    except RuntimeError as exc:
        raise AssertionError(f"{exc}\n{world.log_tail()}") from exc


@pytest.fixture(scope="module")
def celery_world(sandbox_server: str, tmp_path_factory) -> Iterator[CeleryWorld]:
    """A seeded warehouse, a Postgres Dagster instance and two workers with one API slot per
    source group."""
    tmp = tmp_path_factory.mktemp("celery")
    name = f"sp_dagster_inst_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    home = tmp / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text(dagster_yaml(ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"))
    queue = f"sp_test_{uuid.uuid4().hex[:8]}"
    saved = {k: os.environ.get(k) for k in ("DAGSTER_HOME", "DAGSTER_CELERY_QUEUE",
                                            POOL_LIMIT_ENV)}
    # the workers inherit the environment: one slot per group makes the limit observable
    os.environ.update({"DAGSTER_HOME": str(home), "DAGSTER_CELERY_QUEUE": queue,
                       POOL_LIMIT_ENV: "1"})
    workers: dict[str, subprocess.Popen] = {}
    try:
        with warehouse(Sandbox(sandbox_server), "sp_celery") as wh:
            wh.connect_world(TINY_WORLD)  # the app secrets the workers inherit
            logs = {n: tmp / f"{n}.log" for n in WORKERS}
            for n in WORKERS:
                workers[n] = start_worker(n, queue, logs[n])
            world = CeleryWorld(wh, home, queue, workers, logs)
            _wait_ready(world)
            yield world
    finally:
        for proc in workers.values():
            stop_process(proc, 20)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture(scope="module")
def in_process_marts(celery_world: CeleryWorld) -> Iterator[dict[str, str]]:
    """The marts of the same world loaded by the in-process executor."""
    with warehouse(celery_world.wh.sandbox, "sp_inproc") as wh:
        wh.connect_world(reset=False)
        with dg.DagsterInstance.ephemeral() as instance:
            s = run_cycle(wh.url, instance=instance, executor="in_process", log_level="WARNING")
        assert s["success"], s["errors"]
        yield _marts(wh)


@pytest.fixture(scope="module")
def celery_cycle(celery_world: CeleryWorld) -> dict[str, Any]:
    s = run_cycle(celery_world.wh.url, executor="celery", log_level="WARNING")
    assert s["success"], f"{s['errors']}\n{celery_world.log_tail()}"
    return s


def _marts(wh: Warehouse) -> dict[str, str]:
    """Per mart: row count and a digest of its rows without load-time columns."""
    out = {}
    for mart in MARTS:
        cols = [r["column_name"] for r in wh.query(
            "select column_name from information_schema.columns where table_schema = 'marts' "
            "and table_name = %s order by ordinal_position", (mart,))
            if not any(v in r["column_name"] for v in VOLATILE)]
        row = ", ".join(f'"{c}"' for c in cols)
        out[mart] = str(wh.scalar(
            f"select count(*) || ':' || coalesce(md5(string_agg(t, '|' order by t)), '') "
            f"from (select ({row})::text t from marts.{mart}) x"))
    return out


def _step_workers(instance: dg.DagsterInstance, run_id: str) -> dict[str, list[str]]:
    """step key -> the Celery workers (hostnames) that executed it, in order."""
    ran: dict[str, list[str]] = {}
    for rec in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        event = rec.dagster_event
        meta = event.engine_event_data.metadata if event and event.engine_event_data else {}
        if rec.step_key and "Celery worker" in meta:
            ran.setdefault(rec.step_key, []).append(str(meta["Celery worker"].value))
    return ran


def _intervals(instance: dg.DagsterInstance, run_id: str) -> dict[str, tuple[float, float]]:
    start: dict[str, float] = {}
    end: dict[str, float] = {}
    for rec in instance.all_logs(run_id):
        event = rec.dagster_event
        if event is None or not rec.step_key:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            start.setdefault(rec.step_key, rec.timestamp)
        elif event.event_type == dg.DagsterEventType.STEP_SUCCESS:
            end[rec.step_key] = rec.timestamp
    return {k: (start[k], end[k]) for k in end if k in start}


def _slot_holds(instance: dg.DagsterInstance, run_id: str, group: str
                ) -> list[tuple[float, float]]:
    """(acquired, released) of the API slot of each of the group's account steps."""
    holds = []
    for rec in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
        event = rec.dagster_event
        if event is None or not (rec.step_key or "").startswith(f"{group}_dlt."):
            continue
        slot = event.step_materialization_data.materialization.metadata.get("api_slot")
        if slot is not None:
            value = slot.value
            holds.append((value["acquired_at"], value["released_at"]))
    return holds


def test_partitions_follow_the_account_table(celery_world: CeleryWorld):
    wh = celery_world.wh
    with celery_world.instance() as instance:
        sync_partitions(instance, wh.url)
        have = set(instance.get_dynamic_partitions(PARTITIONS["twitter"].name or ""))
        assert have == set(connected_keys(wh.url, "twitter")) and have
        with psycopg.connect(wh.url) as conn:
            conn.execute(
                "insert into app.connected_accounts (workspace_id, platform, "
                "platform_account_id, handle, is_competitor) select min(workspace_id), "
                "'twitter', '424242', 'newbrand', true from app.workspaces")
        added, removed = sync_partitions(instance, wh.url)["twitter"]
        assert (added, removed) == (["twitter:424242"], [])
        assert "twitter:424242" in instance.get_dynamic_partitions("twitter_accounts")
        with psycopg.connect(wh.url) as conn:
            conn.execute("update app.connected_accounts set is_active = false "
                         "where platform_account_id = '424242'")
        added, removed = sync_partitions(instance, wh.url)["twitter"]
        assert (added, removed) == ([], ["twitter:424242"])
        assert set(instance.get_dynamic_partitions("twitter_accounts")) == have
        with psycopg.connect(wh.url) as conn:
            conn.execute("delete from app.connected_accounts where platform_account_id = '424242'")


def test_cycle_runs_every_account_on_both_workers(celery_world: CeleryWorld, celery_cycle,
                                                  in_process_marts):
    s = celery_cycle
    wh = celery_world.wh
    keys = sorted(k for g in PARTITIONS for k in connected_keys(wh.url, g))
    assert s["account_steps"] == keys
    assert not s["account_failures"] and not s["checks_failed"]
    with celery_world.instance() as instance:
        ran = _step_workers(instance, s["run_id"])
        intervals = _intervals(instance, s["run_id"])
        meta = sorted(_slot_holds(instance, s["run_id"], "meta"))
    sync_steps = {k: v for k, v in ran.items() if "_sync_account[" in k}
    assert len(sync_steps) == len(keys), ran
    assert all(len(v) == 1 for v in sync_steps.values()), sync_steps
    hosts = {v[0].split("@")[0] for v in ran.values()}
    assert hosts == set(WORKERS), ran
    # every step of the run went through a worker, none ran in the launching process
    assert set(intervals) <= set(ran), set(intervals) - set(ran)
    # one API slot per group: meta's account syncs never overlap, on however many workers
    assert len(meta) >= 2
    assert all(a[1] <= b[0] for a, b in zip(meta, meta[1:], strict=False)), meta
    assert _marts(wh) == in_process_marts


def test_killed_worker_step_runs_again_elsewhere(celery_world: CeleryWorld, celery_cycle,
                                                 in_process_marts):
    wh = celery_world.wh
    wh.sandbox.faults(slow_ms=400)  # each account step makes several requests: seconds long
    result: dict[str, Any] = {}

    def cycle() -> None:
        result.update(run_cycle(wh.url, executor="celery", log_level="WARNING"))

    thread = threading.Thread(target=cycle)
    thread.start()
    victim, step = None, None
    try:
        with celery_world.instance() as instance:
            deadline = time.monotonic() + 240
            while victim is None and time.monotonic() < deadline and thread.is_alive():
                run = next(iter(instance.get_runs(limit=1)), None)
                if run is not None and run.run_id != celery_cycle["run_id"]:
                    for key, hosts in _step_workers(instance, run.run_id).items():
                        if "_sync_account[" in key:
                            victim, step = hosts[0].split("@")[0], key
                            break
                time.sleep(0.2)
        assert victim is not None, "no account step started"
        time.sleep(0.5)  # in the middle of its requests
        os.killpg(celery_world.workers[victim].pid, signal.SIGKILL)
        thread.join(300)
    finally:
        wh.sandbox.faults(slow_ms=0)
    assert not thread.is_alive()
    s = result
    assert s["success"], f"{s['errors']}\n{celery_world.log_tail()}"
    with celery_world.instance() as instance:
        ran = _step_workers(instance, s["run_id"])
        successes = [r.step_key for r in instance.all_logs(
            s["run_id"], of_type=dg.DagsterEventType.STEP_SUCCESS)]
    survivor = next(n for n in WORKERS if n != victim)
    # the killed step was handed back by the broker and ran to its end on the other worker
    assert [h.split("@")[0] for h in ran[step]] == [victim, survivor], ran[step]
    assert successes.count(step) == 1
    assert not s["account_failures"]
    # the account's rows are there once: no duplicate keys, marts as the in-process run's
    for table, key in {"raw_twitter.tweets": "id", "raw_meta.instagram_media": "id",
                       "raw_meta.facebook_posts": "id", "raw_linkedin.posts": "id",
                       "raw_twitter.tweet_metric_snapshots": "tweet_id, observed_at"}.items():
        assert wh.scalar(f"select count(*) - count(distinct ({key})) from {table}") == 0, table
    assert _marts(wh) == in_process_marts
