"""The competitors a workspace tracks (app.competitors): added by handle or URL, looked up by the
cycle, and turned into competitor accounts of app.connected_accounts that sync like the others.

Nothing here calls a platform: a new competitor is ``pending`` until the cycle's lookup step
(dlt_sources.lookups) resolves it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg

from socialpulse import locks
from socialpulse.crypto import TokenCipher
from socialpulse.handles import parse_handle
from socialpulse.settings import get_settings

STATUSES = ("pending", "tracked", "not_found", "not_available")

_COLUMNS = """c.competitor_id, c.workspace_id, c.platform, c.handle, c.status, c.reason,
    c.account_id, ca.platform_account_id, ca.display_name, c.created_at, c.resolved_at,
    ss.last_success_at, ss.credential_kind as read_with"""
# a tracked competitor's account and its last sync (which token read it)
_FROM = """app.competitors c left join app.connected_accounts ca using (account_id)
    left join app.sync_state ss using (account_id)"""


class CompetitorLimit(Exception):
    """The workspace already tracks as many competitors as the limit allows."""

    def __init__(self, limit: int):
        super().__init__(f"this workspace already has {limit} competitors, the most it may "
                         "track: remove some first (the limit is the "
                         "COMPETITORS_PER_WORKSPACE setting)")
        self.limit = limit


@dataclass(frozen=True)
class Pending:
    """A competitor waiting for the platform lookup."""

    competitor_id: int
    workspace_id: int
    platform: str
    handle: str


def add(conn: psycopg.Connection[Any], workspace_id: int, platform: str, handle_or_url: str,
        user_id: int | None = None, limit: int | None = None) -> dict:
    """Track ``handle_or_url`` on ``platform`` in the workspace; returns the competitor row.

    A handle the workspace already has is returned as it is (not added twice); one that was
    not found or not available before is looked up again. HandleError for a handle or URL that
    cannot be one of the network's accounts, CompetitorLimit when the workspace is full.
    """
    handle = parse_handle(platform, handle_or_url)
    limit = get_settings().competitors_per_workspace if limit is None else limit
    # serialise adds of one workspace so two requests cannot both take the last place
    conn.execute("select pg_advisory_xact_lock(%s, %s)", (locks.COMPETITOR_LIMIT, workspace_id))
    existing = conn.execute(
        "select competitor_id, status from app.competitors "
        "where workspace_id = %s and platform = %s and handle = %s",
        (workspace_id, platform, handle)).fetchone()
    if existing is None:
        count = conn.execute("select count(*) as n from app.competitors where workspace_id = %s",
                             (workspace_id,)).fetchone()
        if count is not None and count["n"] >= limit:
            raise CompetitorLimit(limit)
        conn.execute(
            "insert into app.competitors (workspace_id, platform, handle, requested_by) "
            "values (%s, %s, %s, %s)", (workspace_id, platform, handle, user_id))
    elif existing["status"] in ("not_found", "not_available"):
        conn.execute(
            "update app.competitors set status = 'pending', reason = null, resolved_at = null, "
            "updated_at = now() where competitor_id = %s", (existing["competitor_id"],))
    row = conn.execute(
        f"select {_COLUMNS} from {_FROM} "
        "where c.workspace_id = %s and c.platform = %s and c.handle = %s",
        (workspace_id, platform, handle)).fetchone()
    assert row is not None
    return dict(row)


def list_competitors(conn: psycopg.Connection[Any], workspace_id: int) -> list[dict]:
    """The workspace's competitors, newest first, with their status and reason."""
    return [dict(r) for r in conn.execute(
        f"select {_COLUMNS} from {_FROM} "
        "where c.workspace_id = %s order by c.created_at desc, "
        "c.competitor_id desc", (workspace_id,)).fetchall()]


def remove(conn: psycopg.Connection[Any], workspace_id: int, competitor_id: int) -> bool:
    """Stop tracking a competitor; False when the workspace has no such competitor. Its
    account is deactivated (no more syncs) but keeps its history, so adding it back resumes."""
    row = conn.execute(
        "delete from app.competitors where competitor_id = %s and workspace_id = %s "
        "returning account_id", (competitor_id, workspace_id)).fetchone()
    if row is None:
        return False
    if row["account_id"] is not None:
        conn.execute(
            "update app.connected_accounts set is_active = false, updated_at = now() "
            "where account_id = %s and is_competitor", (row["account_id"],))
    return True


def pending(conn: psycopg.Connection[Any], platforms: list[str] | tuple[str, ...]
            ) -> list[Pending]:
    """Competitors of ``platforms`` waiting for their lookup, oldest first."""
    return [Pending(**r) for r in conn.execute(
        "select competitor_id, workspace_id, platform, handle from app.competitors "
        "where status = 'pending' and platform = any(%s) order by created_at, competitor_id",
        (list(platforms),)).fetchall()]


def lock_pending(conn: psycopg.Connection[Any], competitor: Pending) -> bool:
    """Lock a competitor for recording its lookup; False when it was removed (or decided)
    while the platform was asked, so nothing is connected for it."""
    return conn.execute(
        "select 1 from app.competitors where competitor_id = %s and status = 'pending' "
        "for update", (competitor.competitor_id,)).fetchone() is not None


def mark_tracked(conn: psycopg.Connection[Any], competitor: Pending, platform_account_id: str,
                 handle: str, display_name: str | None) -> int | None:
    """Make the competitor a (re)activated competitor account; returns its account_id, or
    None when the account is one of the workspace's own (then it is ``not_available``)."""
    row = conn.execute(
        """
        insert into app.connected_accounts (workspace_id, platform, platform_account_id,
            handle, display_name, is_competitor)
        values (%s, %s, %s, %s, %s, true)
        on conflict (workspace_id, platform, platform_account_id) do update set
            handle = excluded.handle, display_name = excluded.display_name,
            is_active = true, updated_at = now()
        where app.connected_accounts.is_competitor
        returning account_id
        """,
        (competitor.workspace_id, competitor.platform, platform_account_id, handle,
         display_name)).fetchone()
    if row is None:
        mark_unresolved(conn, competitor, "not_available",
                        "this is an account the workspace owns, not a competitor")
        return None
    conn.execute(
        "update app.competitors set status = 'tracked', reason = null, account_id = %s, "
        "resolved_at = now(), updated_at = now() where competitor_id = %s",
        (row["account_id"], competitor.competitor_id))
    return int(row["account_id"])


def mark_unresolved(conn: psycopg.Connection[Any], competitor: Pending, status: str,
                    reason: str) -> None:
    """Record that a competitor is ``not_found`` or ``not_available``, and why."""
    if status not in ("not_found", "not_available"):
        raise ValueError(f"not an unresolved status: {status}")
    conn.execute(
        "update app.competitors set status = %s, reason = %s, resolved_at = now(), "
        "updated_at = now() where competitor_id = %s",
        (status, reason[:500], competitor.competitor_id))


def mark_waiting(conn: psycopg.Connection[Any], competitor: Pending, reason: str) -> None:
    """Keep a competitor pending, saying what the lookup waits for (looked up again next
    cycle)."""
    conn.execute(
        "update app.competitors set reason = %s, updated_at = now() "
        "where competitor_id = %s and status = 'pending'",
        (reason[:500], competitor.competitor_id))


@dataclass(frozen=True)
class Lender:
    """The owned account whose token a workspace's competitors of one platform borrow."""

    account_id: int
    platform_account_id: str
    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    token_expires_at: datetime | None


def lender(conn: psycopg.Connection[Any], workspace_id: int, platform: str,
           cipher: TokenCipher | None = None) -> Lender | None:
    """The workspace's first active owned account of ``platform`` with a usable token (the one
    list_sync_targets lends to its competitors), None when there is none."""
    row = conn.execute(
        """
        select ca.account_id, ca.platform_account_id, ca.access_token_ciphertext,
               ca.refresh_token_ciphertext, ca.token_expires_at
        from app.connected_accounts ca
        left join app.sync_state ss using (account_id)
        where ca.workspace_id = %s and ca.platform = %s and not ca.is_competitor
          and ca.is_active and not coalesce(ss.needs_reauth, false)
          and ca.access_token_ciphertext is not null
        order by ca.account_id limit 1
        """, (workspace_id, platform)).fetchone()
    if row is None:
        return None
    cipher = cipher or TokenCipher.from_settings()
    return Lender(row["account_id"], row["platform_account_id"],
                  cipher.decrypt(row["access_token_ciphertext"]),
                  cipher.decrypt(row["refresh_token_ciphertext"])
                  if row["refresh_token_ciphertext"] else None, row["token_expires_at"])


def adopt_connected(conn: psycopg.Connection[Any]) -> int:
    """Competitor accounts connected directly (the sandbox seed) become tracked competitors,
    so they are listed and removable like the ones added by handle; returns how many."""
    return conn.execute(
        """
        insert into app.competitors (workspace_id, platform, handle, status, account_id,
                                     resolved_at)
        select workspace_id, platform, lower(ltrim(handle, '@')), 'tracked', account_id, now()
        from app.connected_accounts
        where is_competitor and is_active
        on conflict (workspace_id, platform, handle) do nothing
        """).rowcount
