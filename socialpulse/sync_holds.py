"""Accounts held back from syncs in app.sync_state: the time a platform said to come back, or a
permanent refusal; and the app-wide holds (the app's own limit met while syncing one account
holds every account the app reads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg


@dataclass(frozen=True)
class SyncBlock:
    """Why an account is held back from syncs: a time the platform gave to come back
    (``next_retry_at``) or a permanent refusal, lifted when the account is reconnected."""

    account_id: int
    reason: str
    next_retry_at: datetime | None
    is_permanent: bool


def sync_blocks(conn: psycopg.Connection[Any],
                account_ids: list[int] | tuple[int, ...]) -> dict[int, SyncBlock]:
    """The recorded holds of ``account_ids``: a retry time (which the caller compares with the
    platform's clock) or a permanent refusal recorded since the account was last (re)connected.
    Accounts that need re-authorisation are left out here: list_sync_targets drops them."""
    rows = conn.execute(
        """
        select ss.account_id, coalesce(ss.retry_reason, ss.last_error, '') as reason,
               ss.next_retry_at, coalesce(ss.is_retryable, true) = false as is_permanent
        from app.sync_state ss
        join app.connected_accounts ca using (account_id)
        where ss.account_id = any(%s) and not ss.needs_reauth and ss.retry_reason is not null
          and (ss.next_retry_at is not null or (ss.is_retryable = false
                                                and ss.last_error_at >= ca.updated_at))
        """,
        (list(account_ids),),
    ).fetchall()
    return {r["account_id"]: SyncBlock(**r) for r in rows}


def hold_app_accounts(conn: psycopg.Connection[Any], platforms: tuple[str, ...] | list[str],
                      retry_at: datetime, reason: str) -> int:
    """Hold every connected account of ``platforms`` (the accounts one app reads) until
    ``retry_at`` with ``reason``, keeping a later hold an account already has; returns how many
    accounts are held. Attempts, errors and successes are left as recorded: nothing was tried."""
    rows = conn.execute(
        """
        insert into app.sync_state as s (account_id, next_retry_at, retry_reason)
        select account_id, %(retry_at)s, %(reason)s
        from app.connected_accounts
        where platform = any(%(platforms)s) and is_active
        on conflict (account_id) do update set
            next_retry_at = greatest(s.next_retry_at, excluded.next_retry_at),
            retry_reason = case when s.next_retry_at > excluded.next_retry_at
                then s.retry_reason else excluded.retry_reason end,
            updated_at = now()
        returning account_id
        """,
        {"platforms": list(platforms), "retry_at": retry_at, "reason": reason},
    ).fetchall()
    return len(rows)
