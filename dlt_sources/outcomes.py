"""What a finished source run did: each account's outcome (written to app.sync_state) and the
rows each raw table received."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from psycopg import sql

from dlt_sources._shared.context import SyncContext
from dlt_sources._shared.errors import Held, RateLimited
from dlt_sources.holds import hold_of
from socialpulse import accounts, sync_holds
from socialpulse.platforms import SOURCE_PLATFORMS, display_name, source_of
from socialpulse.warehouse import connect

log = logging.getLogger(__name__)


@dataclass
class AccountOutcome:
    """How one platform account fared in a source run (recorded in app.sync_state)."""

    platform: str
    handle: str
    platform_account_id: str
    account_ids: tuple[int, ...]
    error: str | None = None
    needs_reauth: bool = False
    # held back by an earlier sync's hold: not attempted, nothing recorded
    skipped: bool = False

    @property
    def name(self) -> str:
        return f"{self.platform}:{self.handle}"

    @property
    def ok(self) -> bool:
        return self.error is None


def record_outcomes(url: str, targets: list[accounts.SyncTarget],
                    context: SyncContext) -> list[AccountOutcome]:
    """Write each target's outcome of a finished run to app.sync_state (with the hold a
    failure puts on the next syncs) and return them; held-back targets keep their stored row."""
    outcomes = []
    app_limit: tuple[accounts.SyncTarget, RateLimited] | None = None
    with connect(url) as conn:
        for target in targets:
            failure = context.outcomes.get((target.platform, target.platform_account_id))
            outcome = AccountOutcome(target.platform, target.handle, target.platform_account_id,
                                     target.account_ids)
            # which token the attempt read with (own, borrowed from an owned account, the app's)
            kind, lender = target.credential_kind, target.credential_account_id
            if failure is None:
                accounts.record_sync(conn, target.account_ids, credential_kind=kind,
                                     credential_account_id=lender)
            elif isinstance(failure, Held):
                outcome.error, outcome.skipped = str(failure), True
            else:
                outcome.error, outcome.needs_reauth = str(failure), failure.needs_reauth
                retry_at, hold = hold_of(failure)
                accounts.record_sync(conn, target.account_ids, error=str(failure),
                                     needs_reauth=failure.needs_reauth,
                                     is_retryable=failure.is_retryable,
                                     next_retry_at=retry_at, hold=hold,
                                     credential_kind=kind, credential_account_id=lender)
            outcomes.append(outcome)
            if isinstance(failure, RateLimited) and failure.app_wide \
                    and failure.retry_at is not None and app_limit is None:
                app_limit = (target, failure)
        if app_limit is not None:
            # once per run: every account that met the same limit names the same app
            _hold_the_app(conn, *app_limit)
    return outcomes


def _hold_the_app(conn: Any, target: accounts.SyncTarget, failure: RateLimited) -> None:
    """The app's own limit holds every account the app reads, so that no later step of the
    cycle (each account is its own) calls the platform before it lifts."""
    source = source_of(target.platform)
    platforms = SOURCE_PLATFORMS[source]
    names = " and ".join(display_name(p) for p in platforms)
    retry_at = cast(datetime, failure.retry_at)  # the caller keeps only failures with one
    held = sync_holds.hold_app_accounts(
        conn, platforms, retry_at,
        f"the {names} app's own limit, met while syncing {target.platform}:{target.handle}: "
        f"{failure}")
    log.warning("%s app limit: %d %s account(s) held until %s", source, held, names,
                retry_at.isoformat())


def loaded_row_counts(url: str, dataset: str, load_ids: list[str]) -> dict[str, int]:
    """Rows each table holds from these loads (inserted or updated by them), counted in the
    warehouse: what a merge left behind, not what was extracted."""
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
