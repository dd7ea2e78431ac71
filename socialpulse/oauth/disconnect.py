"""Disconnecting an account: its tokens are destroyed locally first (committed), then the
platform is asked to revoke the grant they came from, unless another active account still
uses that grant (a Facebook Page and its Instagram account, two Pages or two LinkedIn
organizations of one consent). The platform's answer is recorded on the account; a failed
revoke never brings a token back."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import psycopg

from socialpulse.crypto import TokenCipher
from socialpulse.oauth.connect import disconnect_account
from socialpulse.oauth.revoke import RevokeOutcome, revoke_grant
from socialpulse.platforms import source_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Disconnected:
    """What a disconnect did: tokens destroyed (always), data purged, the platform's revoke
    (``revoked``, ``failed``, ``kept_shared`` or ``not_possible``) and why."""

    account_id: int
    purged: bool
    platform_revoke: str
    detail: str


def _sharers(conn: psycopg.Connection[Any], row: dict, cipher: TokenCipher,
             token: str | None) -> list[dict]:
    """Other active owned accounts on the same grant: the same recorded grant subject on the
    same platform family, or (accounts connected before subjects were recorded) the same
    token in the same workspace."""
    source = source_of(row["platform"])
    others = conn.execute(
        """
        select account_id, platform, handle, grant_subject, workspace_id,
               access_token_ciphertext
        from app.connected_accounts
        where account_id <> %s and is_active and not is_competitor
          and access_token_ciphertext is not null and platform = any(%s)
        """, (row["account_id"], [p for p in ("twitter", "facebook", "instagram", "linkedin")
                                  if source_of(p) == source])).fetchall()
    if row["grant_subject"]:
        return [o for o in others if o["grant_subject"] == row["grant_subject"]]
    return [o for o in others if token and o["workspace_id"] == row["workspace_id"]
            and cipher.decrypt(o["access_token_ciphertext"]) == token]


def _unrecorded_meta_grants(conn: psycopg.Connection[Any], row: dict) -> int:
    """Other active owned Meta accounts (any workspace) whose granting person is unknown
    (connected before grants were recorded). Graph's ``DELETE /{user}/permissions`` removes
    every Page that person granted, so while any such account exists, revoking could cut it
    off."""
    found = conn.execute(
        """
        select count(*) as n from app.connected_accounts
        where account_id <> %s and is_active and not is_competitor and grant_subject is null
          and access_token_ciphertext is not null and platform in ('facebook', 'instagram')
        """, (row["account_id"],)).fetchone()
    return int(found["n"]) if found else 0


def disconnect(conn: psycopg.Connection[Any], account_id: int, purge: bool = False,
               cipher: TokenCipher | None = None) -> Disconnected | None:
    """Destroy the account's tokens (and with ``purge`` its data), commit, then revoke the
    grant at the platform where no other account uses it; None for an unknown account."""
    cipher = cipher or TokenCipher.from_settings()
    row = conn.execute(
        """
        select account_id, workspace_id, platform, handle, grant_subject, is_competitor,
               access_token_ciphertext, refresh_token_ciphertext
        from app.connected_accounts where account_id = %s for update
        """, (account_id,)).fetchone()
    if row is None:
        return None
    access = cipher.decrypt(row["access_token_ciphertext"]) \
        if row["access_token_ciphertext"] else None
    refresh = cipher.decrypt(row["refresh_token_ciphertext"]) \
        if row["refresh_token_ciphertext"] else None
    sharers = _sharers(conn, row, cipher, access) if access else []
    unrecorded = _unrecorded_meta_grants(conn, row) \
        if access and source_of(row["platform"]) == "meta" else 0
    disconnect_account(conn, account_id, purge=purge)
    if not purge:
        conn.execute("update app.connected_accounts set platform_revoke_status = 'pending', "
                     "platform_revoke_detail = null, platform_revoke_at = null "
                     "where account_id = %s", (account_id,))
    conn.commit()  # the tokens are gone before the platform is asked anything
    if row["is_competitor"] or access is None:
        outcome = RevokeOutcome("not_possible", "the account held no token of its own")
    elif sharers:
        names = ", ".join(f"{s['platform']} @{s['handle']}" for s in sharers[:5])
        outcome = RevokeOutcome("kept_shared", "the grant was not revoked at the platform: "
                                f"{names} still use it (disconnect them too to revoke it)")
    elif unrecorded:
        outcome = RevokeOutcome("kept_shared", "the grant was not revoked at Meta: "
                                f"{unrecorded} other connected Facebook/Instagram account(s) "
                                "have an unknown granting person (connected before grants "
                                "were recorded) and revoking could remove their Pages too; "
                                "reconnect or disconnect them, then revoke at Facebook")
    else:
        outcome = revoke_grant(source_of(row["platform"]), access, refresh,
                               row["grant_subject"])
    if not purge:
        conn.execute("update app.connected_accounts set platform_revoke_status = %s, "
                     "platform_revoke_detail = %s, platform_revoke_at = now() "
                     "where account_id = %s", (outcome.status, outcome.detail[:500],
                                               account_id))
        conn.commit()
    level = logging.WARNING if outcome.status == "failed" else logging.INFO
    log.log(level, "disconnected account %s (%s): platform revoke %s: %s", account_id,
            row["platform"], outcome.status, outcome.detail)
    return Disconnected(account_id, purge, outcome.status, outcome.detail)
