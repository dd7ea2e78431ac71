"""Celery worker processes started from Python: the command of ``make workers``, one process
group each (stopping the group is what a node or pod dying looks like), ready once the broker
answers their ping. Used where workers are started for a run of their own (tests, benchmarks).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


def worker_command(name: str, queue: str, loglevel: str = "INFO") -> list[str]:
    """``celery worker`` as ``make workers`` runs it: one task at a time, prefetch 1."""
    celery = str(Path(sys.executable).parent / "celery")
    return [celery, "-A", "dagster_project.workers", "worker", "--concurrency", "1",
            "--prefetch-multiplier", "1", "-Q", queue, "-n", f"{name}@%h",
            "--loglevel", loglevel]


def start_process(command: Sequence[str], log: Path, env: Mapping[str, str] | None = None,
                  cwd: Path | None = None, nice: int = 10) -> subprocess.Popen:
    """``command`` in a new process group, niced, its output in ``log``."""
    prefix = ["nice", "-n", str(nice)] if nice else []
    return subprocess.Popen([*prefix, *command], cwd=cwd, env=dict(env) if env else None,
                            stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def start_worker(name: str, queue: str, log: Path, env: Mapping[str, str] | None = None,
                 loglevel: str = "INFO") -> subprocess.Popen:
    """One worker named ``name@host`` on ``queue``."""
    return start_process(worker_command(name, queue, loglevel), log, env=env)


def wait_until_ready(names: Sequence[str], procs: Sequence[subprocess.Popen],
                     timeout_s: float = 120) -> None:
    """Until every worker of ``names`` answers a ping through the broker; a worker that exits
    first, or the timeout, is a RuntimeError."""
    from dagster_project.workers import app

    wanted = set(names)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        answers = app.control.ping(timeout=2.0) or []
        ready = {name.split("@", 1)[0] for answer in answers for name in answer}
        if wanted <= ready:
            return
        exited = [p.pid for p in procs if p.poll() is not None]
        if exited:
            raise RuntimeError(f"worker processes {exited} exited before they were ready")
    raise RuntimeError(f"workers {sorted(wanted)} not ready in {timeout_s:.0f}s")


def stop_process(proc: subprocess.Popen, timeout_s: float = 30) -> None:
    """SIGTERM to the process group (a warm shutdown), SIGKILL if it outlives ``timeout_s``."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    except ProcessLookupError:
        pass
