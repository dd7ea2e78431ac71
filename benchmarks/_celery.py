"""Celery workers and a Postgres Dagster instance for a benchmark's cycles (``scale_out.py``).

The workers are the command of ``make workers`` (one task at a time each, prefetch 1), on a
queue of their own so other runs on the shared broker never take their steps; each runs in
its own process group and is stopped with it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
from _world import create_database, drop_database


@contextmanager
def dagster_instance(pool_limit: int) -> Iterator[Path]:
    """A throw-away DAGSTER_HOME with Postgres storage (what workers sharing runs need)."""
    from dagster_project.instance import dagster_yaml

    url = create_database()
    with tempfile.TemporaryDirectory(prefix="sp-bench-dagster-") as home:
        Path(home, "dagster.yaml").write_text(dagster_yaml(url, pool_limit=pool_limit))
        saved = os.environ.get("DAGSTER_HOME")
        os.environ["DAGSTER_HOME"] = home
        try:
            yield Path(home)
        finally:
            if saved is None:
                os.environ.pop("DAGSTER_HOME", None)
            else:
                os.environ["DAGSTER_HOME"] = saved
            drop_database(url)


class Workers:
    """``n`` Celery worker processes on a fresh queue (``DAGSTER_CELERY_QUEUE`` is set to it)."""

    def __init__(self, n: int, logs: Path):
        self.n = n
        self.logs = logs
        self.queue = f"sp_bench_{uuid.uuid4().hex[:8]}"
        self.procs: list[subprocess.Popen] = []

    def __enter__(self) -> Workers:
        os.environ["DAGSTER_CELERY_QUEUE"] = self.queue
        celery = str(Path(sys.executable).parent / "celery")
        for i in range(self.n):
            log = (self.logs / f"worker-{i + 1}.log").open("w")
            self.procs.append(subprocess.Popen(
                ["nice", "-n", "10", celery, "-A", "dagster_project.workers", "worker",
                 "--concurrency", "1", "--prefetch-multiplier", "1", "-Q", self.queue,
                 "-n", f"{self.queue}-{i + 1}@%h", "--loglevel", "WARNING"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        self._wait_ready()
        return self

    def _wait_ready(self, timeout_s: float = 180) -> None:
        """Until every worker answers a ping (started workers, as a deployment has them)."""
        from dagster_project.workers import app

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            answers = app.control.ping(timeout=2.0) or []
            names = {name for answer in answers for name in answer}
            if sum(name.startswith(f"{self.queue}-") for name in names) >= self.n:
                return
            if any(p.poll() is not None for p in self.procs):
                raise RuntimeError(f"a worker exited, see {self.logs}")
        raise RuntimeError(f"workers not ready in {timeout_s:.0f}s, see {self.logs}")

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
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
