"""Run the platform sources for the connected accounts and record each account's outcome."""

from __future__ import annotations

import getpass
import hashlib
import importlib
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import dlt
from dlt.common.configuration.exceptions import ConfigFieldMissingException
from psycopg import sql

from dlt_sources._shared.context import SyncContext
from socialpulse import accounts
from socialpulse.errors import ConfigError
from socialpulse.settings import PROJECT_ROOT, get_settings
from socialpulse.warehouse import connect, database_url

log = logging.getLogger(__name__)

# source group -> (module, factory, platforms it covers)
SOURCES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "twitter": ("dlt_sources.twitter", "twitter_source", ("twitter",)),
    "meta": ("dlt_sources.meta", "meta_source", ("instagram", "facebook")),
    "linkedin": ("dlt_sources.linkedin", "linkedin_source", ("linkedin",)),
}


@dataclass
class SyncResult:
    """What one source run did."""

    group: str
    accounts: int
    row_counts: dict[str, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def validate_platforms(platforms: list[str] | None) -> list[str]:
    """All platforms when None; a ConfigError naming the unknown ones otherwise."""
    if not platforms:
        return list(accounts.PLATFORMS)
    unknown = [p for p in platforms if p not in accounts.PLATFORMS]
    if unknown:
        raise ConfigError(f"unknown platform {', '.join(unknown)}: choose from "
                          f"{', '.join(accounts.PLATFORMS)}")
    return platforms


def _check_reachable(group: str) -> str:
    try:
        base_url = str(dlt.config[f"sources.{group}.base_url"])
    except (KeyError, ConfigFieldMissingException) as exc:
        raise ConfigError(f"sources.{group}.base_url is not set: set SOURCES__"
                          f"{group.upper()}__BASE_URL or .dlt/config.toml") from exc
    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname or "", port), timeout=5).close()
    except OSError as exc:
        raise ConfigError(
            f"cannot reach the {group} API at {base_url}: start the sandbox "
            f"(`socialpulse sandbox serve`) or fix SOURCES__{group.upper()}__BASE_URL") from exc
    return base_url


def destination(url: str):
    """dlt's Postgres destination for ``url``. dlt insists on a user name and a password even
    where the server trusts local connections, so missing ones are filled in (the current OS
    user, and a password that trust authentication ignores)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" not in netloc:
        netloc = f"{getpass.getuser()}@{netloc}"
    userinfo, host = netloc.rsplit("@", 1)
    if ":" not in userinfo:
        userinfo += ":unused"
    return dlt.destinations.postgres(parts._replace(netloc=f"{userinfo}@{host}").geturl())


def _token_saver(url: str):
    def save(account_id: int, access: str, refresh: str | None, expires_at) -> None:
        with connect(url) as conn:
            accounts.save_tokens(conn, account_id, access, refresh, expires_at)
    return save


@dataclass
class AccountOutcome:
    """How one platform account fared in a source run (recorded in app.sync_state)."""

    platform: str
    handle: str
    platform_account_id: str
    account_ids: tuple[int, ...]
    error: str | None = None
    needs_reauth: bool = False

    @property
    def name(self) -> str:
        return f"{self.platform}:{self.handle}"

    @property
    def ok(self) -> bool:
        return self.error is None


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


def prepare_group(group: str, targets: list[accounts.SyncTarget], url: str
                  ) -> tuple[Any, SyncContext, dlt.Pipeline]:
    """Check the API is reachable, then build (source, context, pipeline) for one run."""
    _check_reachable(group)
    context = SyncContext(url, f"raw_{group}", save_tokens=_token_saver(url))
    source = build_source(group, targets, context)
    return source, context, make_pipeline(group, url)


def make_pipeline(group: str, url: str) -> dlt.Pipeline:
    """The group's dlt pipeline into ``raw_<group>`` of the warehouse at ``url``."""
    return dlt.pipeline(
        pipeline_name=f"socialpulse_{group}",
        destination=destination(url),
        dataset_name=f"raw_{group}",
        # local pipeline state belongs to one warehouse: keep one folder per database
        pipelines_dir=str(get_settings().socialpulse_data_dir / "dlt"
                          / hashlib.sha1(url.encode()).hexdigest()[:12]),
    )


def record_outcomes(url: str, targets: list[accounts.SyncTarget],
                    context: SyncContext) -> list[AccountOutcome]:
    """Write each target's outcome of a finished run to app.sync_state and return them."""
    outcomes = []
    with connect(url) as conn:
        for target in targets:
            failure = context.outcomes.get((target.platform, target.platform_account_id))
            outcome = AccountOutcome(target.platform, target.handle, target.platform_account_id,
                                     target.account_ids)
            if failure is None:
                accounts.record_sync(conn, target.account_ids)
            else:
                outcome.error, outcome.needs_reauth = str(failure), failure.needs_reauth
                accounts.record_sync(conn, target.account_ids, error=str(failure),
                                     needs_reauth=failure.needs_reauth,
                                     is_retryable=failure.is_retryable)
            outcomes.append(outcome)
    return outcomes


def loaded_row_counts(url: str, dataset: str, load_ids: list[str]) -> dict[str, int]:
    """Rows each table holds from these loads (inserted or updated by them).

    Counted in the warehouse because dlt's normalize row counts overstate rows that carry
    per-item table hints (several times the rows actually written).
    """
    with connect(url) as conn:
        tables = [r["table_name"] for r in conn.execute(
            "select table_name from information_schema.columns where table_schema = %s "
            "and column_name = '_dlt_load_id' and table_name not like '\\_dlt%%'",
            (dataset,)).fetchall()]
        counts = {}
        for table in sorted(tables):
            row = conn.execute(
                sql.SQL("select count(*) as n from {} where _dlt_load_id = any(%s)").format(
                    sql.Identifier(dataset, table)), (list(load_ids),)).fetchone()
            counts[table] = row["n"] if row else 0
    return {t: n for t, n in counts.items() if n}


def sync_group(group: str, platforms: list[str], url: str, progress: Callable[[str], None],
               loader_file_format: str = "csv") -> SyncResult | None:
    """Load one source for the accounts of ``platforms``; None when none is connected."""
    targets = group_targets(group, platforms, url)
    if not targets:
        progress(f"{group}: no connected accounts, skipped")
        return None
    started = time.monotonic()
    source, context, pipeline = prepare_group(group, targets, url)
    progress(f"{group}: syncing {len(targets)} accounts ...")
    # csv goes through COPY: ~1.5x faster than insert statements for the same rows (see
    # DECISIONS.md, "Loading")
    info = pipeline.run(source, loader_file_format=loader_file_format)  # type: ignore[arg-type]
    result = SyncResult(group, len(targets),
                        loaded_row_counts(url, pipeline.dataset_name, info.loads_ids))
    for outcome in record_outcomes(url, targets, context):
        if not outcome.ok:
            result.failures[outcome.name] = str(outcome.error)
    result.seconds = time.monotonic() - started
    rows = sum(result.row_counts.values())
    progress(f"{group}: {rows} rows in {result.seconds:.1f}s, "
             f"{len(result.failures)} account(s) failed")
    for name, error in result.failures.items():
        progress(f"  ! {name}: {error}")
    return result


def sync(platforms: list[str] | None = None, url: str | None = None,
         progress: Callable[[str], None] = log.info,
         loader_file_format: str = "csv") -> list[SyncResult]:
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
