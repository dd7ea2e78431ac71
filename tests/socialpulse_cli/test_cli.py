"""The CLI as a user runs it: real subprocesses, one clear line for bad configuration."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg

from platform_sandbox.process import free_port
from socialpulse.platforms import PLATFORMS

CLI = (sys.executable, "-m", "socialpulse_cli")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


def test_unknown_platform_is_one_clear_line(db_url):
    result = run("sync", "--platform", "myspace", env={"DATABASE_URL": db_url})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: unknown platform myspace: choose from {', '.join(PLATFORMS)}"]


def test_bad_database_url_names_the_variable():
    result = run("db", "url", env={"DATABASE_URL": "mysql://root@localhost/x"})
    assert result.returncode == 2
    assert "DATABASE_URL must start with postgresql://" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_database_is_one_clear_line():
    result = run("db", "migrate", env={"DATABASE_URL": f"postgresql://127.0.0.1:{free_port()}/x"})
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot connect to Postgres at 127.0.0.1:")
    assert len(result.stderr.strip().splitlines()) == 1


def test_unreachable_base_url_names_the_setting(db_url, connected):
    result = run("sync", "--platform", "twitter", env={
        "DATABASE_URL": db_url, "SOURCES__TWITTER__BASE_URL": f"http://127.0.0.1:{free_port()}"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach the twitter API" in lines[0]
    assert "SOURCES__TWITTER__BASE_URL" in lines[0]


def test_embedded_postgres_up_url_down():
    # not pytest's tmp_path: another pytest session on the machine may rotate its base folder
    # away while the server runs
    with tempfile.TemporaryDirectory(prefix="sp-embedded-") as folder:
        _embedded_up_url_down(Path(folder))


def _embedded_up_url_down(tmp_path: Path) -> None:
    env = {"SOCIALPULSE_DATA_DIR": str(tmp_path), "SOCIALPULSE_EMBEDDED_PG_PORT": str(free_port())}
    env_without_url = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env_without_url.update(env)
    up = subprocess.run([*CLI, "db", "up"], capture_output=True,
                        text=True, env=env_without_url, timeout=180)
    assert up.returncode == 0, up.stderr
    url = subprocess.run([*CLI, "db", "url"], capture_output=True,
                         text=True, env=env_without_url, timeout=60).stdout.strip()
    assert url.endswith(f":{env['SOCIALPULSE_EMBEDDED_PG_PORT']}/socialpulse")
    with psycopg.connect(url) as conn:
        version = conn.execute("select version from app.schema_migrations").fetchall()
        assert ("001_app_schema",) in version
    assert (tmp_path / "postgres" / "PG_VERSION").exists()
    down = subprocess.run([*CLI, "db", "down"], capture_output=True,
                          text=True, env=env_without_url, timeout=60)
    assert down.returncode == 0 and "stopped" in down.stdout


def test_missing_secret_names_the_variable(db_url, connected):
    env = {k: v for k, v in os.environ.items() if k != "SOURCES__TWITTER__CLIENT_SECRET"}
    env["DATABASE_URL"] = db_url
    result = subprocess.run([*CLI, "sync", "--platform", "twitter"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "missing twitter secret" in lines[0]
    assert "SOURCES__TWITTER__CLIENT_SECRET" in lines[0]
