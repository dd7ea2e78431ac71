"""`make sandbox` after `make demo` continues the warehouse's timeline: `socialpulse db
resume-at` gives the time, `sandbox serve --now` starts there (the Makefile's sandbox target)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timedelta

import httpx
import psycopg
import pytest

from platform_sandbox.process import free_port
from tests.warehouse import create_database, drop_database


def _serve(env: dict[str, str]) -> tuple[subprocess.Popen, str, str]:
    resume = subprocess.run([sys.executable, "-m", "socialpulse_cli", "db", "resume-at"],
                            env={**os.environ, **env}, capture_output=True, text=True,
                            timeout=120)
    assert resume.returncode == 0, resume.stderr
    now = resume.stdout.strip()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "socialpulse_cli", "sandbox", "serve", "--port", str(port),
         "--speed", "0", *(["--now", now] if now else [])],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/_sandbox/clock", timeout=2).raise_for_status()
            return proc, url, resume.stderr
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise AssertionError(f"sandbox did not start: {proc.stderr.read() if proc.stderr else ''}")


def _stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
    return err


@pytest.fixture
def warehouse_with_observation():
    url = create_database("sp_after")
    latest = datetime.fromisoformat("2026-11-20T08:30:00+00:00")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("create schema raw_twitter")
        conn.execute("create table raw_twitter.tweet_metric_snapshots (observed_at timestamptz)")
        conn.execute("insert into raw_twitter.tweet_metric_snapshots values (%s), (%s)",
                     (latest - timedelta(days=3), latest))
    yield url, latest
    drop_database(url)


def test_the_clock_starts_an_hour_after_the_newest_observation(warehouse_with_observation
                                                               ) -> None:
    url, latest = warehouse_with_observation
    proc, sandbox, err = _serve({"DATABASE_URL": url})
    try:
        now = datetime.fromisoformat(httpx.get(f"{sandbox}/_sandbox/clock").json()["now"])
    finally:
        _stop(proc)
    assert now == latest + timedelta(hours=1)
    assert "newest observation is 2026-11-20 08:30" in err


def test_without_a_reachable_warehouse_the_world_starts_as_usual() -> None:
    closed = f"postgresql://127.0.0.1:{free_port()}/nothing"
    proc, sandbox, err = _serve({"DATABASE_URL": closed})
    try:
        now = datetime.fromisoformat(httpx.get(f"{sandbox}/_sandbox/clock").json()["now"])
    finally:
        _stop(proc)
    assert "no observation in a reachable warehouse" in err
    assert now < datetime.fromisoformat("2026-11-20T00:00:00+00:00")
