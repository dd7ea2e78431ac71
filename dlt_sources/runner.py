"""Run the platform sources for the connected accounts and record each account's outcome."""

from __future__ import annotations

import importlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import dlt
from dlt.common.configuration.exceptions import ConfigFieldMissingException
from dlt.common.schema.typing import TFileFormat

from dlt_sources._shared.context import SyncContext
from dlt_sources._shared.contract import apply_file_format
from dlt_sources._shared.indexes import ensure_indexes
from dlt_sources.contracts import contracts
from dlt_sources.holds import hold_back, platform_now
from dlt_sources.outcomes import AccountOutcome, loaded_row_counts, record_outcomes
from dlt_sources.pipeline import check_reachable, make_pipeline, run_in_turn, token_saver
from socialpulse import accounts
from socialpulse.errors import ConfigError
from socialpulse.platforms import PLATFORMS, SOURCE_PLATFORMS, raw_dataset
from socialpulse.settings import PROJECT_ROOT
from socialpulse.warehouse import connect, database_url

log = logging.getLogger(__name__)

__all__ = ["LOADER_FILE_FORMAT", "SOURCES", "AccountOutcome", "SyncResult", "build_source",
           "group_targets", "loaded_row_counts", "prepare_group", "record_outcomes", "sync",
           "sync_group", "validate_platforms"]

# csv goes through COPY: ~1.5x faster than insert statements for the same rows (see
# DECISIONS.md, "Loading")
LOADER_FILE_FORMAT = "csv"
# source group -> (module, factory, platforms it covers)
SOURCES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    source: (f"dlt_sources.{source}", f"{source}_source", platforms)
    for source, platforms in SOURCE_PLATFORMS.items()
}


@dataclass
class SyncResult:
    """What one source run did."""

    group: str
    accounts: int
    row_counts: dict[str, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    skipped: int = 0


def validate_platforms(platforms: list[str] | None) -> list[str]:
    """All platforms when None; a ConfigError naming the unknown ones otherwise."""
    if not platforms:
        return list(PLATFORMS)
    unknown = [p for p in platforms if p not in PLATFORMS]
    if unknown:
        raise ConfigError(f"unknown platform {', '.join(unknown)}: choose from "
                          f"{', '.join(PLATFORMS)}")
    return platforms


def group_targets(group: str, platforms: list[str], url: str) -> list[accounts.SyncTarget]:
    """The connected accounts a source group syncs for ``platforms``."""
    _, _, covered = SOURCES[group]
    with connect(url) as conn:
        return accounts.list_sync_targets(conn, [p for p in covered if p in platforms])


def build_source(group: str, targets: list[accounts.SyncTarget], context: SyncContext) -> Any:
    """The group's dlt source for ``targets``; a ConfigError names a missing secret."""
    module, factory, _ = SOURCES[group]
    try:
        return getattr(importlib.import_module(module), factory)(targets=targets,
                                                                   context=context)
    except ConfigFieldMissingException as exc:
        names = ", ".join(f"SOURCES__{group.upper()}__{f.upper()}" for f in exc.fields)
        raise ConfigError(f"missing {group} secret: set {names} (or add it to "
                          ".dlt/secrets.toml)") from exc


def prepare_group(group: str, targets: list[accounts.SyncTarget], url: str,
                  loader_file_format: str = LOADER_FILE_FORMAT
                  ) -> tuple[Any, SyncContext, dlt.Pipeline]:
    """Check the API is reachable, then build (source, context, pipeline) for one run that
    loads with ``loader_file_format``; the source gets the targets no hold keeps back."""
    base_url = check_reachable(group)
    context = SyncContext(url, raw_dataset(group), save_tokens=token_saver(url))
    # accounts an earlier sync was told to leave alone are not called (their outcome says why)
    due = hold_back(url, targets, platform_now(base_url), context)
    source = build_source(group, due, context)
    apply_file_format(source, cast(TFileFormat, loader_file_format))
    return source, context, make_pipeline(group, url)


def _report(result: SyncResult, progress: Callable[[str], None]) -> None:
    rows = sum(result.row_counts.values())
    failed = len(result.failures) - result.skipped
    progress(f"{result.group}: {rows} rows in {result.seconds:.1f}s, {failed} account(s) "
             f"failed, {result.skipped} held back")
    for name, error in result.failures.items():
        progress(f"  ! {name}: {error}")


def sync_group(group: str, platforms: list[str], url: str, progress: Callable[[str], None],
               loader_file_format: str = LOADER_FILE_FORMAT) -> SyncResult | None:
    """Load one source for the accounts of ``platforms``; None when none is connected."""
    targets = group_targets(group, platforms, url)
    if not targets:
        progress(f"{group}: no connected accounts, skipped")
        return None
    started = time.monotonic()
    source, context, pipeline = prepare_group(group, targets, url, loader_file_format)
    progress(f"{group}: syncing {len(targets)} accounts ...")
    info = run_in_turn(pipeline, source, url, loader_file_format)
    # after the load: a table the first sync created has its indexes for the next one
    ensure_indexes(url, contracts()[group])
    result = SyncResult(group, len(targets),
                        loaded_row_counts(url, pipeline.dataset_name, info.loads_ids))
    for outcome in record_outcomes(url, targets, context):
        if not outcome.ok:
            result.failures[outcome.name] = str(outcome.error)
            result.skipped += outcome.skipped
    result.seconds = time.monotonic() - started
    _report(result, progress)
    return result


def sync(platforms: list[str] | None = None, url: str | None = None,
         progress: Callable[[str], None] = log.info,
         loader_file_format: str = LOADER_FILE_FORMAT) -> list[SyncResult]:
    """Sync every connected account of ``platforms`` (default: all) into raw_* datasets."""
    wanted = validate_platforms(platforms)
    os.environ.setdefault("DLT_PROJECT_DIR", str(PROJECT_ROOT))
    url = url or database_url()
    results = []
    for group in SOURCES:
        result = sync_group(group, wanted, url, progress, loader_file_format)
        if result is not None:
            results.append(result)
    return results
