"""Accounts held back from a sync: the platform said when to come back (a rate-limit reset, the
X app's usage cap, LinkedIn's daily quota) or refused the account for good. The hold is stored
in app.sync_state by record_outcomes and read here before the next sync calls anything."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import requests

from dlt_sources._shared.context import SyncContext
from dlt_sources._shared.errors import AccountSyncError, Held
from dlt_sources._shared.http import server_time
from socialpulse import accounts, sync_holds
from socialpulse.warehouse import connect

log = logging.getLogger(__name__)


def platform_now(base_url: str) -> datetime:
    """The platform's clock, from the Date header of any answer at the API root (holds are in
    the platform's time, which is the sandbox's simulated clock in tests and demos)."""
    try:
        return server_time(requests.head(base_url, timeout=10, allow_redirects=False))
    except requests.RequestException as exc:
        log.info("no Date from %s (%s): using the local clock", base_url, exc)
        return datetime.now(UTC)


def _held(block: sync_holds.SyncBlock, now: datetime) -> Held | None:
    """The Held error of an account whose hold still applies at ``now``, else None."""
    if block.next_retry_at is not None and block.next_retry_at > now:
        return Held(f"skipped until {block.next_retry_at.astimezone(UTC).isoformat()}: "
                    f"{block.reason}", block.next_retry_at)
    if block.is_permanent:
        return Held(f"skipped, not retried until the account is reconnected: {block.reason}",
                    permanent=True)
    return None


def hold_back(url: str, targets: list[accounts.SyncTarget], now: datetime,
              context: SyncContext) -> list[accounts.SyncTarget]:
    """The targets due at ``now``; each held one gets its Held outcome in ``context``."""
    with connect(url) as conn:
        blocks = sync_holds.sync_blocks(conn, [i for t in targets for i in t.account_ids])
    return _due(targets, blocks, now, context)


def _due(targets: list[accounts.SyncTarget], blocks: dict[int, sync_holds.SyncBlock],
         now: datetime, context: SyncContext) -> list[accounts.SyncTarget]:
    """The targets no block holds at ``now``; the held ones' outcomes go into ``context``."""
    due = []
    for target in targets:
        held = next((h for i in target.account_ids if i in blocks
                     and (h := _held(blocks[i], now)) is not None), None)
        if held is None:
            due.append(target)
        else:
            context.outcomes[(target.platform, target.platform_account_id)] = held
    return due


def is_held(url: str, target: accounts.SyncTarget, base_url: str, context: SyncContext) -> bool:
    """True when a stored hold keeps ``target`` back now (its Held outcome goes into
    ``context``): what an earlier step of the same cycle learned, such as the app's own limit.
    The platform's clock is asked only when the account has a stored hold."""
    with connect(url) as conn:
        blocks = sync_holds.sync_blocks(conn, target.account_ids)
    return bool(blocks) and not _due([target], blocks, platform_now(base_url), context)


def hold_of(failure: AccountSyncError) -> tuple[datetime | None, bool]:
    """(next_retry_at, whether the failure holds the account back from the next syncs): a
    retry time the platform gave, or a permanent refusal (re-authorisation has its own flag)."""
    retry_at = getattr(failure, "retry_at", None)
    permanent = not failure.is_retryable and not failure.needs_reauth
    return retry_at, retry_at is not None or permanent
