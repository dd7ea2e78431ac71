"""Run the dbt project (``dbt_project/``) against the stack's warehouse.

dbt reads its connection from ``dbt_project/profiles.yml``, which takes every value from
``SOCIALPULSE_DB_*`` environment variables; :func:`dbt_env` derives them from the one
``DATABASE_URL`` the rest of the stack uses, so dbt never has a second configuration.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from socialpulse.errors import ConfigError
from socialpulse.settings import PROJECT_ROOT
from socialpulse.warehouse import database_url

log = logging.getLogger(__name__)

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


class DbtRunError(RuntimeError):
    """A dbt command failed; the message names the failing nodes."""


def dbt_env(url: str | None = None) -> dict[str, str]:
    """The environment variables ``profiles.yml`` reads, parsed from a Postgres URL.

    ``url`` defaults to :func:`socialpulse.warehouse.database_url` (``DATABASE_URL`` or the
    embedded server). A URL without a user or password gets the OS user / an empty password,
    as libpq would.
    """
    url = url or database_url()
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ConfigError(f"dbt needs a postgresql:// URL, got {parts.scheme}://...")
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ConfigError("the database URL names no database (postgresql://host:port/NAME)")
    query = parse_qs(parts.query)
    env = {
        "SOCIALPULSE_DB_HOST": parts.hostname or "127.0.0.1",
        "SOCIALPULSE_DB_PORT": str(parts.port or 5432),
        "SOCIALPULSE_DB_USER": unquote(parts.username) if parts.username
        else os.environ.get("PGUSER") or _os_user(),
        "SOCIALPULSE_DB_PASSWORD": unquote(parts.password) if parts.password else "",
        "SOCIALPULSE_DB_NAME": name,
        "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
    }
    if "sslmode" in query:
        env["SOCIALPULSE_DB_SSLMODE"] = query["sslmode"][0]
    return env


def _os_user() -> str:
    import getpass

    return getpass.getuser()


@contextmanager
def temporary_environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the block, restoring the previous values after it."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _failures(result: Any) -> list[str]:
    out = []
    for node_result in getattr(result.result, "results", None) or []:
        status = str(getattr(node_result, "status", "")).lower()
        if status in ("error", "fail", "runtime error"):
            node = getattr(node_result, "node", None)
            name = getattr(node, "unique_id", "?")
            out.append(f"{name}: {status}: {(node_result.message or '').strip()[:500]}")
    return out


def run_dbt(args: list[str], database_url: str | None = None) -> Any:
    """Run one dbt command (e.g. ``["build"]``) in-process with dbt's ``dbtRunner``.

    Returns the ``dbtRunnerResult``; raises :class:`DbtRunError` naming the failed nodes (or
    dbt's own exception) when the command does not succeed.
    """
    from dbt.cli.main import dbtRunner

    env = dbt_env(database_url)
    command = [*args]
    if "--project-dir" not in command:
        command += ["--project-dir", str(DBT_PROJECT_DIR)]
    if "--profiles-dir" not in command:
        command += ["--profiles-dir", str(DBT_PROJECT_DIR)]
    log.info("dbt %s (database %s on %s)", " ".join(args), env["SOCIALPULSE_DB_NAME"],
             env["SOCIALPULSE_DB_HOST"])
    with temporary_environment(env):
        result = dbtRunner().invoke(command)
    if not result.success:
        if result.exception is not None:
            raise DbtRunError(f"dbt {' '.join(args)} failed: {result.exception}") \
                from result.exception
        failed = _failures(result)
        detail = "\n".join(failed) if failed else "see dbt_project/logs/dbt.log"
        raise DbtRunError(f"dbt {' '.join(args)} failed:\n{detail}")
    return result
