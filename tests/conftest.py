"""Shared fixtures: a real Postgres database per test and the sandbox over real HTTP."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from platform_sandbox.process import free_port, running_sandbox
from socialpulse.crypto import generate_key
from socialpulse.platforms import SOURCES as SOURCE_GROUPS
from tests.warehouse import ADMIN_URL, create_database, drop_database  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _environment(tmp_path_factory) -> Iterator[None]:
    """Keys, data folder and dlt settings of the test session (never the developer's)."""
    data_dir = tmp_path_factory.mktemp("socialpulse-data")
    # the project's dlt config without the developer's .dlt/secrets.toml (`make demo` writes
    # one): a test's secrets come from its own sandbox, and a missing one must stay missing
    project = tmp_path_factory.mktemp("dlt-project")
    (project / ".dlt").mkdir()
    shutil.copy(ROOT / ".dlt" / "config.toml", project / ".dlt" / "config.toml")
    saved = dict(os.environ)
    os.environ.update({
        "SOCIALPULSE_ENCRYPTION_KEYS": generate_key(),
        "SOCIALPULSE_DATA_DIR": str(data_dir),
        "DLT_PROJECT_DIR": str(project),
        "RUNTIME__DLTHUB_TELEMETRY": "false",
        # fast retries: the sandbox's injected faults need no real back-off
        "RUNTIME__REQUEST_BACKOFF_FACTOR": "0.05",
        "RUNTIME__REQUEST_MAX_RETRY_DELAY": "0.5",
    })
    os.environ.pop("DATABASE_URL", None)
    from socialpulse.settings import get_settings

    get_settings.cache_clear()
    yield
    os.environ.clear()
    os.environ.update(saved)
    get_settings.cache_clear()


@pytest.fixture
def db_url() -> Iterator[str]:
    """A fresh, migrated database on the test Postgres server, dropped afterwards."""
    url = create_database()
    yield url
    drop_database(url)


class Sandbox:
    """Client of a running sandbox: reset the world, move the clock, read the ground truth."""

    def __init__(self, url: str):
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=60)

    def reset(self, config: dict | None = None, faults: dict | None = None,
              now: str | None = None, token_ttl_s: dict | None = None) -> dict:
        body = {"config": config or {}, "faults": faults or {}, "now": now,
                "token_ttl_s": token_ttl_s or {}}
        return self._ok(self.http.post("/_sandbox/reset", json=body))

    def world(self) -> dict:
        return self._ok(self.http.get("/_sandbox/world"))

    def advance(self, seconds: float) -> dict:
        return self._ok(self.http.post("/_sandbox/clock", json={"advance_seconds": seconds}))

    def faults(self, **knobs) -> dict:
        return self._ok(self.http.post("/_sandbox/faults", json=knobs))

    def revoke(self, platform: str, platform_account_id: str) -> dict:
        return self._ok(self.http.post("/_sandbox/revoke", json={
            "platform": platform, "platform_account_id": platform_account_id}))

    def truth(self, what: str, **params) -> list[dict]:
        return self._ok(self.http.get(f"/_sandbox/truth/{what}", params=params))

    def requests(self, platform: str | None = None) -> list[dict]:
        params = {"platform": platform} if platform else {}
        return self._ok(self.http.get("/_sandbox/requests", params=params))

    def clear_requests(self) -> None:
        self._ok(self.http.delete("/_sandbox/requests"))

    @staticmethod
    def _ok(response: httpx.Response):
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def sandbox_server() -> Iterator[str]:
    """One sandbox process for the session (frozen clock); tests reset its world."""
    with running_sandbox(free_port(), speed=0) as url:
        for group in SOURCE_GROUPS:
            os.environ[f"SOURCES__{group.upper()}__BASE_URL"] = url
        yield url


@pytest.fixture
def sandbox(sandbox_server: str) -> Sandbox:
    """The sandbox reset to the default small world, with source secrets in the environment."""
    from socialpulse.seed import source_secrets_env

    client = Sandbox(sandbox_server)
    client.reset()
    os.environ.update(source_secrets_env(client.world()))
    return client


@pytest.fixture
def connected(db_url: str, sandbox: Sandbox):
    """Seed app.* from the sandbox world; returns a function to re-seed after a reset."""
    from socialpulse.seed import seed_from_world

    def seed(world: dict | None = None) -> dict:
        world = world or sandbox.world()
        with psycopg.connect(db_url, row_factory=psycopg.rows.dict_row) as conn:
            seed_from_world(conn, world)
        return world

    seed()
    return seed
