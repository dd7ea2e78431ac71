"""Started connection flows: a signed, single-use, short-lived ``state`` bound to the user,
the workspace and the platform, with the PKCE verifier kept server-side (encrypted)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
import psycopg

from socialpulse.crypto import TokenCipher
from socialpulse.oauth.settings import SOURCE_OF_PLATFORM


class FlowRefused(Exception):
    """The callback's ``state`` cannot be accepted; the message says why (for the person)."""


@dataclass(frozen=True)
class Flow:
    """A started flow, as the callback finds it."""

    flow_id: str
    user_id: int
    workspace_id: int
    platform: str
    source: str
    redirect_uri: str
    code_verifier: str | None = field(repr=False)
    account_id: int | None = None  # a reconnect of this one account


def _state_key(signing_key: str) -> bytes:
    # a key of its own: a state can never pass for an API token, nor the other way round
    return hmac.new(signing_key.encode(), b"socialpulse-oauth-state", hashlib.sha256).digest()


def start_flow(conn: psycopg.Connection[Any], signing_key: str, user_id: int,
               workspace_id: int, platform: str, redirect_uri: str, ttl_seconds: int,
               code_verifier: str | None, cipher: TokenCipher | None = None,
               account_id: int | None = None) -> str:
    """Record a new flow (bound to ``account_id`` for a reconnect of one account) and return
    its signed ``state``."""
    cipher = cipher or TokenCipher.from_settings()
    flow_id = secrets.token_urlsafe(24)
    expires = int(time.time()) + ttl_seconds
    conn.execute(
        """
        insert into app.oauth_flows (flow_id, user_id, workspace_id, platform, source,
            code_verifier_ciphertext, redirect_uri, expires_at, account_id)
        values (%s, %s, %s, %s, %s, %s, %s, to_timestamp(%s), %s)
        """,
        (flow_id, user_id, workspace_id, platform, SOURCE_OF_PLATFORM[platform],
         cipher.encrypt(code_verifier) if code_verifier else None, redirect_uri, expires,
         account_id))
    claims = {"fid": flow_id, "sub": str(user_id), "ws": workspace_id, "p": platform,
              "exp": expires}
    return jwt.encode(claims, _state_key(signing_key), algorithm="HS256")


def consume_flow(conn: psycopg.Connection[Any], signing_key: str, state: str, user_id: int,
                 platform: str, cipher: TokenCipher | None = None) -> Flow:
    """The flow of ``state``, marked used; FlowRefused when forged, expired, already used,
    started by another user or for another platform. Another user's callback does not use up
    the owner's flow."""
    try:
        claims = jwt.decode(state, _state_key(signing_key), algorithms=["HS256"],
                            options={"require": ["exp", "fid", "sub"]})
    except jwt.ExpiredSignatureError:
        raise FlowRefused("this connection link has expired: start the connection "
                          "again") from None
    except jwt.InvalidTokenError:
        raise FlowRefused("the connection's state is invalid (not one this server "
                          "issued): start the connection again") from None
    if claims["sub"] != str(user_id):
        raise FlowRefused("this connection was started by another user: start your own")
    row = conn.execute(
        """
        update app.oauth_flows set consumed_at = now()
        where flow_id = %s and user_id = %s and platform = %s and consumed_at is null
          and expires_at > now()
        returning flow_id, user_id, workspace_id, platform, source, redirect_uri,
                  code_verifier_ciphertext, account_id
        """, (claims["fid"], user_id, platform)).fetchone()
    if row is None:
        known = conn.execute("select consumed_at, platform, user_id from app.oauth_flows "
                             "where flow_id = %s", (claims["fid"],)).fetchone()
        if known is None:
            raise FlowRefused("this connection is unknown: start the connection again")
        if known["user_id"] != user_id:
            raise FlowRefused("this connection was started by another user: start your own")
        if known["platform"] != platform:
            raise FlowRefused("this callback belongs to another platform's connection")
        if known["consumed_at"] is not None:
            raise FlowRefused("this connection link was already used: start the connection "
                              "again")
        raise FlowRefused("this connection link has expired: start the connection again")
    cipher = cipher or TokenCipher.from_settings()
    verifier = row["code_verifier_ciphertext"]
    return Flow(row["flow_id"], row["user_id"], row["workspace_id"], row["platform"],
                row["source"], row["redirect_uri"], cipher.decrypt(verifier) if verifier
                else None, row["account_id"])


def finish_flow(conn: psycopg.Connection[Any], flow_id: str, outcome: str) -> None:
    """Record how a flow ended (``connected 3 accounts`` or the refusal); the verifier goes."""
    conn.execute("update app.oauth_flows set outcome = %s, code_verifier_ciphertext = null "
                 "where flow_id = %s", (outcome[:500], flow_id))


def forget_old_flows(conn: psycopg.Connection[Any], older_than_hours: int = 24) -> int:
    """Delete flows that expired more than ``older_than_hours`` ago; returns how many."""
    cur = conn.execute("delete from app.oauth_flows where expires_at < now() - make_interval("
                       "hours => %s)", (older_than_hours,))
    return cur.rowcount
