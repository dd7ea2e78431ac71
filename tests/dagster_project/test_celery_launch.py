"""A cycle launched as the UI and the schedule launch it runs on the Celery workers.

Three "machines" share only Postgres (the Dagster instance and the warehouse), the broker and
one folder for step outputs (``DAGSTER_IO_DIR``): a ``dagster-daemon`` (the run queue and the
run launcher of ``make dagster``) and two ``celery worker`` processes, each with its own
``DAGSTER_HOME``. The run is submitted by ``dagster job launch`` (what the UI's Launch does:
a queued run of the code location's job), the daemon dequeues and launches it, and every step
must run on a worker: the job the code location serves carries the Celery executor when
``DAGSTER_EXECUTOR=celery``, the schedule's job included. The account steps hand their results
to the group's publish step, so without the shared folder a step on the other worker cannot
read its inputs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import psycopg
import pytest

from dagster_project.defs.ingestion.partitions import PARTITIONS, connected_keys
from dagster_project.instance import dagster_yaml
from dagster_project.worker_processes import start_process, start_worker, stop_process
from tests.conftest import Sandbox
from tests.warehouse import ADMIN_URL, warehouse

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TINY_WORLD = {"workspaces_per_agency": 1, "competitors_per_workspace": 1, "posts_per_account": 4,
              "history_days": 3.0, "comments_per_post": 1.0}
WORKERS = ("m1", "m2")


@pytest.fixture(scope="module")
def machines(sandbox_server: str, tmp_path_factory) -> Iterator[dict]:
    """Warehouse + Postgres instance; a daemon home and two worker homes, one shared I/O dir."""
    tmp = tmp_path_factory.mktemp("launch")
    name = f"sp_dagster_launch_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'create database "{name}"')
    config = dagster_yaml(ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    homes = {}
    for machine in ("daemon", *WORKERS):
        homes[machine] = tmp / machine
        homes[machine].mkdir()
        (homes[machine] / "dagster.yaml").write_text(config)
    procs: list[subprocess.Popen] = []
    try:
        with warehouse(Sandbox(sandbox_server), "sp_launch") as wh:
            wh.connect_world(TINY_WORLD)  # exports the app secrets the processes inherit
            env = {**os.environ, "DAGSTER_EXECUTOR": "celery", "DATABASE_URL": wh.url,
                   "DAGSTER_CELERY_QUEUE": f"sp_launch_{uuid.uuid4().hex[:8]}",
                   "DAGSTER_IO_DIR": str(tmp / "shared-io")}
            logs = {m: tmp / f"{m}.log" for m in ("daemon", *WORKERS)}
            for m in WORKERS:
                procs.append(start_worker(m, env["DAGSTER_CELERY_QUEUE"], logs[m],
                                          env={**env, "DAGSTER_HOME": str(homes[m])}))
            procs.append(start_process(
                [str(BIN / "dagster-daemon"), "run", "-w", "workspace.yaml"], logs["daemon"],
                env={**env, "DAGSTER_HOME": str(homes["daemon"])}, cwd=ROOT))
            yield {"wh": wh, "env": env, "homes": homes, "logs": logs, "procs": procs}
    finally:
        for proc in procs:
            stop_process(proc)
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'drop database if exists "{name}" with (force)')


def _tail(machines: dict) -> str:
    return "\n".join(f"--- {m}\n" + p.read_text()[-4000:] for m, p in machines["logs"].items())


def _dagster_env(machines: dict) -> dict[str, str]:
    return {**machines["env"], "DAGSTER_HOME": str(machines["homes"]["daemon"])}


def test_the_schedule_launches_the_cycle_job_on_the_celery_executor(machines):
    # what the code location of `make dagster` serves with DAGSTER_EXECUTOR=celery
    probe = ("import json; from dagster_project.definitions import defs; "
             "s = defs.get_schedule_def('every_15_minutes'); "
             "j = defs.resolve_job_def(s.job_name); "
             "print(json.dumps({'job': s.job_name, 'executor': j.executor_def.name}))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=_dagster_env(machines),
                         capture_output=True, text=True, timeout=300, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {
        "job": "socialpulse_cycle", "executor": "celery"}


def test_a_launched_cycle_runs_every_step_on_the_workers(machines):
    env = _dagster_env(machines)
    subprocess.run([str(BIN / "dagster"), "job", "launch", "-w", "workspace.yaml",
                    "-j", "socialpulse_cycle"], cwd=ROOT, env=env, check=True, timeout=300,
                   capture_output=True)
    with dg.DagsterInstance.from_config(str(machines["homes"]["daemon"])) as instance:
        deadline = time.monotonic() + 900
        run = None
        while time.monotonic() < deadline:
            run = next(iter(instance.get_runs(limit=1)), None)
            if run is not None and run.is_finished:
                break
            assert all(p.poll() is None for p in machines["procs"]), _tail(machines)
            time.sleep(2)
        assert run is not None and run.is_finished, _tail(machines)
        errors = [r.dagster_event.message for r in instance.all_logs(
            run.run_id, of_type=dg.DagsterEventType.STEP_FAILURE) if r.dagster_event]
        assert run.status == dg.DagsterRunStatus.SUCCESS, f"{errors}\n{_tail(machines)}"
        ran: dict[str, str] = {}
        for rec in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
            event = rec.dagster_event
            meta = event.engine_event_data.metadata if event and event.engine_event_data else {}
            if rec.step_key and "Celery worker" in meta:
                ran[rec.step_key] = str(meta["Celery worker"].value).split("@")[0]
        succeeded = {r.step_key for r in instance.all_logs(
            run.run_id, of_type=dg.DagsterEventType.STEP_SUCCESS)}
    # launched by the daemon's run queue with the executor of the code location's job
    assert run.tags.get("socialpulse/cycle") == "true"
    assert succeeded and succeeded <= set(ran), succeeded - set(ran)
    assert set(ran.values()) == set(WORKERS), ran
    wh = machines["wh"]
    keys = {k for g in PARTITIONS for k in connected_keys(wh.url, g)}
    assert len([k for k in succeeded if "_sync_account[" in k]) == len(keys)
    assert wh.scalar("select count(*) from marts.posts") > 0
