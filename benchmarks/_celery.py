"""Celery workers and a Postgres Dagster instance for a benchmark's cycles (``scale_out.py``).

The workers are the command of ``make workers`` (one task at a time each, prefetch 1), on a
queue of their own so other runs on the shared broker never take their steps; each runs in
its own process group and is stopped with it.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
from _world import create_database, drop_database


@contextmanager
def dagster_instance(pool_limit: int) -> Iterator[Path]:
    """A throw-away DAGSTER_HOME with Postgres storage (what workers sharing runs need) and
    ``pool_limit`` API slots per source group for the workers started inside it."""
    from dagster_project.defs.ingestion.api_slots import POOL_LIMIT_ENV
    from dagster_project.instance import dagster_yaml

    url = create_database()
    with tempfile.TemporaryDirectory(prefix="sp-bench-dagster-") as home:
        Path(home, "dagster.yaml").write_text(dagster_yaml(url))
        saved = {k: os.environ.get(k) for k in ("DAGSTER_HOME", POOL_LIMIT_ENV)}
        os.environ.update({"DAGSTER_HOME": home, POOL_LIMIT_ENV: str(pool_limit)})
        try:
            yield Path(home)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            drop_database(url)


class Workers:
    """``n`` Celery worker processes on a fresh queue (``DAGSTER_CELERY_QUEUE`` is set to it)."""

    def __init__(self, n: int, logs: Path):
        self.n = n
        self.logs = logs
        self.queue = f"sp_bench_{uuid.uuid4().hex[:8]}"
        self.procs: list[subprocess.Popen] = []

    def __enter__(self) -> Workers:
        from dagster_project.worker_processes import start_worker, wait_until_ready

        os.environ["DAGSTER_CELERY_QUEUE"] = self.queue
        names = [f"{self.queue}-{i + 1}" for i in range(self.n)]
        for i, name in enumerate(names):
            self.procs.append(start_worker(name, self.queue, self.logs / f"worker-{i + 1}.log",
                                           loglevel="WARNING"))
        try:
            wait_until_ready(names, self.procs, timeout_s=180)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}, see {self.logs}") from exc
        return self

    def cpu_seconds(self) -> float:
        """User + system CPU of the workers and their pool processes so far."""
        total = 0.0
        for proc in self.procs:
            try:
                root = psutil.Process(proc.pid)
                for p in [root, *root.children(recursive=True)]:
                    t = p.cpu_times()
                    total += t.user + t.system
            except psutil.Error:
                continue
        return total

    def __exit__(self, *exc: object) -> None:
        from dagster_project.worker_processes import stop_process

        for proc in self.procs:
            stop_process(proc)
