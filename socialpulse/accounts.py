"""Connected platform accounts: who to sync, with which (decrypted) credentials, and how it went."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import psycopg

from socialpulse.crypto import TokenCipher

# platforms whose competitors are read with the app's own token (X app-only bearer: public data
# of any user); elsewhere a competitor borrows an owned account's token
APP_TOKEN_PLATFORMS = ("twitter",)


@dataclass(frozen=True)
class SyncTarget:
    """One platform account to sync, with the credentials to use for it.

    Every owned account is read with its own tokens (``credential_kind`` ``own``). Competitor
    accounts carry no tokens of their own: X competitors are read with the app's bearer token
    (``app``), the others with the token of an owned account of the same workspace and platform
    (``borrowed``, ``credential_account_id``), which Instagram business_discovery requires.
    """

    account_ids: tuple[int, ...]
    platform: str
    platform_account_id: str
    handle: str
    is_competitor: bool
    credential_account_id: int | None
    access_token: str | None = field(repr=False)
    refresh_token: str | None = field(repr=False)
    token_expires_at: datetime | None
    credential_platform_account_id: str | None = None
    credential_kind: str = "own"


def list_sync_targets(conn: psycopg.Connection[Any], platforms: list[str],
                      cipher: TokenCipher | None = None) -> list[SyncTarget]:
    """Active accounts of ``platforms``, one target per platform account (an account tracked by
    several workspaces is fetched once). Owned accounts carry their own tokens; competitors
    borrow those of the workspace's first owned account of their platform, or use the app token
    (APP_TOKEN_PLATFORMS). Accounts whose credentials need re-authorisation are left out, and
    so are competitors with no owned account to borrow from."""
    cipher = cipher or TokenCipher.from_settings()
    rows = conn.execute(
        """
        with owned as (
            select distinct on (workspace_id, platform)
                workspace_id, platform, account_id, platform_account_id,
                access_token_ciphertext, refresh_token_ciphertext, token_expires_at
            from app.connected_accounts ca
            left join app.sync_state ss using (account_id)
            where not ca.is_competitor and ca.is_active and not coalesce(ss.needs_reauth, false)
            order by workspace_id, platform, account_id
        ),
        readers as (
            select ca.*, ss.needs_reauth,
                   case when not ca.is_competitor then 'own'
                        when ca.platform = any(%(app)s) then 'app'
                        else 'borrowed' end as credential_kind
            from app.connected_accounts ca
            left join app.sync_state ss using (account_id)
            where ca.is_active and ca.platform = any(%(platforms)s)
        )
        select r.account_id, r.platform, r.platform_account_id, r.handle, r.is_competitor,
               r.credential_kind,
               case r.credential_kind when 'own' then r.account_id
                    when 'borrowed' then o.account_id end as credential_account_id,
               case r.credential_kind when 'own' then r.platform_account_id
                    when 'borrowed' then o.platform_account_id end
                   as credential_platform_account_id,
               case r.credential_kind when 'own' then r.access_token_ciphertext
                    when 'borrowed' then o.access_token_ciphertext end
                   as access_token_ciphertext,
               case r.credential_kind when 'own' then r.refresh_token_ciphertext
                    when 'borrowed' then o.refresh_token_ciphertext end
                   as refresh_token_ciphertext,
               case r.credential_kind when 'own' then r.token_expires_at
                    when 'borrowed' then o.token_expires_at end as token_expires_at
        from readers r
        left join owned o on o.workspace_id = r.workspace_id and o.platform = r.platform
        where not (not r.is_competitor and coalesce(r.needs_reauth, false))
        order by r.platform, r.platform_account_id, r.is_competitor, r.account_id
        """,
        {"platforms": list(platforms), "app": list(APP_TOKEN_PLATFORMS)},
    ).fetchall()
    targets: dict[tuple[str, str], SyncTarget] = {}
    for r in rows:
        key = (r["platform"], r["platform_account_id"])
        if key in targets:
            t = targets[key]
            targets[key] = SyncTarget(**{**t.__dict__,
                                         "account_ids": t.account_ids + (r["account_id"],)})
            continue
        if r["credential_kind"] != "app" and r["access_token_ciphertext"] is None:
            continue  # no usable token: an owned account without one, or nothing to borrow
        targets[key] = SyncTarget(
            account_ids=(r["account_id"],), platform=r["platform"],
            platform_account_id=r["platform_account_id"], handle=r["handle"],
            is_competitor=r["is_competitor"], credential_account_id=r["credential_account_id"],
            credential_platform_account_id=r["credential_platform_account_id"],
            credential_kind=r["credential_kind"],
            access_token=cipher.decrypt(r["access_token_ciphertext"])
            if r["access_token_ciphertext"] else None,
            refresh_token=cipher.decrypt(r["refresh_token_ciphertext"])
            if r["refresh_token_ciphertext"] else None,
            token_expires_at=r["token_expires_at"],
        )
    return list(targets.values())


def save_tokens(conn: psycopg.Connection[Any], account_id: int, access_token: str,
                refresh_token: str | None, expires_at: datetime | None,
                cipher: TokenCipher | None = None) -> None:
    """Store refreshed tokens (encrypted) for an owned account; an account disconnected while
    its sync ran keeps no token (the disconnect destroyed them)."""
    cipher = cipher or TokenCipher.from_settings()
    conn.execute(
        """
        update app.connected_accounts
        set access_token_ciphertext = %s,
            refresh_token_ciphertext = coalesce(%s, refresh_token_ciphertext),
            token_expires_at = %s, updated_at = now()
        where account_id = %s and is_active
        """,
        (cipher.encrypt(access_token), cipher.encrypt(refresh_token) if refresh_token else None,
         expires_at, account_id),
    )


def record_sync(conn: psycopg.Connection[Any], account_ids: list[int] | tuple[int, ...],
                error: str | None = None, needs_reauth: bool = False,
                is_retryable: bool | None = None, next_retry_at: datetime | None = None,
                hold: bool = False, credential_kind: str | None = None,
                credential_account_id: int | None = None) -> None:
    """Record one sync attempt's outcome for accounts (success when ``error`` is None). With
    ``hold`` the error is also the reason the account is held until ``next_retry_at`` (or, when
    not retryable, until it is reconnected); a success lifts any hold. ``credential_kind``
    (own, borrowed, app) and ``credential_account_id`` say which token the attempt read with."""
    conn.execute(
        """
        insert into app.sync_state as s (account_id, last_attempt_at, last_success_at,
            last_error, last_error_at, is_retryable, needs_reauth, consecutive_failures,
            next_retry_at, retry_reason, credential_kind, credential_account_id)
        select id, now(), case when %(ok)s then now() end, %(error)s,
               case when not %(ok)s then now() end, %(retryable)s, %(reauth)s,
               case when %(ok)s then 0 else 1 end, %(retry_at)s, %(reason)s, %(kind)s,
               %(credential)s
        from unnest(%(ids)s::bigint[]) as id
        on conflict (account_id) do update set
            last_attempt_at = excluded.last_attempt_at,
            last_success_at = coalesce(excluded.last_success_at, s.last_success_at),
            last_error = case when %(ok)s then s.last_error else excluded.last_error end,
            last_error_at = coalesce(excluded.last_error_at, s.last_error_at),
            is_retryable = excluded.is_retryable,
            needs_reauth = excluded.needs_reauth,
            consecutive_failures = case when %(ok)s then 0 else s.consecutive_failures + 1 end,
            next_retry_at = excluded.next_retry_at,
            retry_reason = excluded.retry_reason,
            credential_kind = coalesce(excluded.credential_kind, s.credential_kind),
            credential_account_id = case when excluded.credential_kind is null
                then s.credential_account_id else excluded.credential_account_id end,
            updated_at = now()
        """,
        {"ids": list(account_ids), "ok": error is None, "error": error,
         "reauth": needs_reauth, "retryable": is_retryable, "retry_at": next_retry_at,
         "reason": error if hold else None, "kind": credential_kind,
         "credential": credential_account_id},
    )
