"""The dbt manifest the assets are built from, parsed with ``dbt parse`` when missing or stale.

``DbtProject.prepare_if_dev()`` only parses under ``dagster dev`` and without our connection
environment, so every definitions load checks the manifest against the project's files instead.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
from functools import cache
from pathlib import Path
from typing import Any

from dagster_project.constants import DBT_PROJECT_DIR

log = logging.getLogger(__name__)

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
# dagster-dbt gives every invocation a target folder of its own and seeds it with this file
PARTIAL_PARSE = MANIFEST.parent / "partial_parse.msgpack"
_IGNORED_DIRS = {"target", "logs", "dbt_packages", "__pycache__"}
_PROJECT_SUFFIXES = {".sql", ".yml", ".yaml", ".csv", ".md", ".py"}


def _newest_project_file() -> float:
    newest = 0.0
    for path in DBT_PROJECT_DIR.rglob("*"):
        rel = path.relative_to(DBT_PROJECT_DIR).parts
        if rel and rel[0] in _IGNORED_DIRS or path.suffix not in _PROJECT_SUFFIXES:
            continue
        newest = max(newest, path.stat().st_mtime)
    return newest


def is_stale(manifest: Path = MANIFEST) -> bool:
    """True when the manifest is missing or older than a file of the dbt project."""
    return not manifest.exists() or manifest.stat().st_mtime < _newest_project_file()


def ensure_manifest() -> Path | None:
    """Path of an up-to-date manifest (``dbt parse`` first when needed); None without a project.

    Parsing needs no database connection, so the URL is resolved without starting anything.
    """
    if not (DBT_PROJECT_DIR / "dbt_project.yml").exists():
        return None
    if is_stale():
        from socialpulse.transform import run_dbt
        from socialpulse.warehouse import database_url

        MANIFEST.parent.mkdir(parents=True, exist_ok=True)
        # dagster dev loads the code location in several processes at once: parse once
        with open(MANIFEST.parent / ".parse.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if is_stale():
                log.info("dbt manifest missing or stale: running dbt parse")
                run_dbt(["parse"], database_url=database_url(start_embedded=False))
    return MANIFEST


def keep_partial_parse(invocation_target: Path) -> bool:
    """Make an invocation's saved parse the one the next invocation starts from; True when
    there was one to keep.

    dagster-dbt copies the project's ``partial_parse.msgpack`` into each invocation's own
    target folder but never back, and dbt discards a saved parse made with another profile
    (a manifest parsed before the deployment's ``DATABASE_URL`` was set, a test database):
    every cycle then parsed the whole project again, about 3 s. The copy is swapped in whole,
    so a concurrent invocation reads the old file or the new one, never half of one.
    """
    source = invocation_target / PARTIAL_PARSE.name
    if not source.exists():
        return False
    staged = PARTIAL_PARSE.with_name(f".{PARTIAL_PARSE.name}.{os.getpid()}")
    try:
        shutil.copyfile(source, staged)
        os.replace(staged, PARTIAL_PARSE)
    except OSError as exc:  # the build itself succeeded: the next one only parses in full
        log.warning("could not keep dbt's saved parse for the next build: %s", exc)
        staged.unlink(missing_ok=True)
        return False
    return True


@cache
def load_manifest() -> dict[str, Any] | None:
    """The parsed manifest as a dict (cached per process); None without a dbt project."""
    path = ensure_manifest()
    return json.loads(path.read_text()) if path else None


def source_tables(manifest: dict[str, Any] | None, schema_prefix: str = "") -> set[tuple[str, str]]:
    """(schema, table) of every dbt source whose schema starts with ``schema_prefix``."""
    if not manifest:
        return set()
    out = set()
    for source in manifest.get("sources", {}).values():
        if source["schema"].startswith(schema_prefix):
            out.add((source["schema"], source.get("identifier") or source["name"]))
    return out
