"""CPU seconds of the processes around a measurement: the sandbox and Postgres's backends.

Postgres backends are sampled (psutil, every 0.2 s) by the database name in their process
title, so time a backend spends after its last sample is missed: a lower bound, close for
long-lived connections (a sync's load) and useless for dbt, which closes one per model.
"""

from __future__ import annotations

import threading
from types import TracebackType

import psutil


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds of one process so far (0 when it is gone or unknown)."""
    if pid is None:
        return 0.0
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


class PostgresCpu:
    """Context manager: CPU seconds the backends of database ``name`` used inside the block."""

    def __init__(self, name: str, interval: float = 0.2):
        self.name = name
        self.interval = interval
        self.seconds = 0.0
        self._start: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for proc in psutil.process_iter(["name", "cmdline"]):
            try:
                title = " ".join(proc.info["cmdline"] or [])
                if not title.startswith("postgres:") or f" {self.name} " not in f"{title} ":
                    continue
                times = proc.cpu_times()
            except psutil.Error:
                continue
            now = times.user + times.system
            self._start.setdefault(proc.pid, now if not self._thread.is_alive() else 0.0)
            self._last[proc.pid] = now

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> PostgresCpu:
        self._sample()  # backends open before the block count from here
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._sample()
        self._stop.set()
        self._thread.join()
        self.seconds = sum(self._last[p] - self._start[p] for p in self._last)
