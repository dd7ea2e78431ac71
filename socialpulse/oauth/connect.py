"""Store what a consent granted: each account with its own tokens (encrypted), reconnecting an
account in place (same row, same history, re-authorisation cleared); disconnect and purge."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from socialpulse.crypto import TokenCipher
from socialpulse.oauth.grants import GrantedAccount
from socialpulse.platforms import raw_dataset, source_of

# where each raw table names the platform account it belongs to (the dlt sources' contracts;
# tests/socialpulse/test_oauth_connect.py checks this against them)
RAW_ACCOUNT_COLUMNS: dict[str, dict[str, str]] = {
    "twitter": {"users": "id", "user_metric_snapshots": "user_id", "tweets": "author_id",
                "tweet_metric_snapshots": "author_id", "replies": "account_id",
                "rejects": "platform_account_id"},
    "meta": {"instagram_accounts": "id", "instagram_account_metric_snapshots": "account_id",
             "instagram_media": "owner_id", "instagram_media_metric_snapshots": "owner_id",
             "instagram_comments": "owner_id", "instagram_follower_count_insights": "account_id",
             "facebook_pages": "id", "facebook_page_metric_snapshots": "page_id",
             "facebook_posts": "page_id", "facebook_post_metric_snapshots": "page_id",
             "facebook_comments": "page_id", "facebook_page_follows_insights": "page_id",
             "rejects": "platform_account_id"},
    "linkedin": {"organizations": "id", "organization_metric_snapshots": "organization_id",
                 "organization_follower_gains": "organization_id", "posts": "author_id",
                 "post_metric_snapshots": "organization_id", "comments": "organization_id",
                 "rejects": "platform_account_id"},
}


@dataclass(frozen=True)
class ConnectedAccount:
    """An account the flow connected; ``is_new`` is false for a reconnect."""

    account_id: int
    platform: str
    platform_account_id: str
    handle: str
    display_name: str | None
    is_new: bool


def connect_granted(conn: psycopg.Connection[Any], workspace_id: int, user_id: int,
                    accounts: list[GrantedAccount],
                    cipher: TokenCipher | None = None) -> list[ConnectedAccount]:
    """Connect (or reconnect) every granted account to the workspace in the caller's
    transaction: all of them or, on any error, none."""
    cipher = cipher or TokenCipher.from_settings()
    out = []
    for a in accounts:
        row = conn.execute(
            """
            insert into app.connected_accounts as ca (workspace_id, platform,
                platform_account_id, handle, display_name, is_competitor,
                access_token_ciphertext, refresh_token_ciphertext, token_expires_at,
                connected_at, connected_by_user_id, granted_scopes, grant_subject)
            values (%s, %s, %s, %s, %s, false, %s, %s, %s, now(), %s, %s, %s)
            on conflict (workspace_id, platform, platform_account_id) do update set
                handle = excluded.handle,
                display_name = coalesce(excluded.display_name, ca.display_name),
                is_competitor = false, is_active = true, disconnected_at = null,
                access_token_ciphertext = excluded.access_token_ciphertext,
                refresh_token_ciphertext = excluded.refresh_token_ciphertext,
                token_expires_at = excluded.token_expires_at,
                connected_at = now(), connected_by_user_id = excluded.connected_by_user_id,
                granted_scopes = excluded.granted_scopes,
                grant_subject = excluded.grant_subject, platform_revoke_status = null,
                platform_revoke_detail = null, platform_revoke_at = null, updated_at = now()
            returning account_id, (xmax = 0) as is_new
            """,
            (workspace_id, a.platform, a.platform_account_id, a.handle, a.display_name,
             cipher.encrypt(a.access_token),
             cipher.encrypt(a.refresh_token) if a.refresh_token else None, a.expires_at,
             user_id, a.scope, a.grant_subject)).fetchone()
        assert row is not None
        # a reconnect lifts re-authorisation and any hold the old credentials earned
        conn.execute(
            """
            update app.sync_state set needs_reauth = false, retry_reason = null,
                next_retry_at = null, is_retryable = null, consecutive_failures = 0,
                updated_at = now()
            where account_id = %s
            """, (row["account_id"],))
        out.append(ConnectedAccount(row["account_id"], a.platform, a.platform_account_id,
                                    a.handle, a.display_name, row["is_new"]))
    return out


def disconnect_account(conn: psycopg.Connection[Any], account_id: int,
                       purge: bool = False) -> None:
    """Destroy the account's tokens at once and stop syncing it; with ``purge`` also delete
    its rows from the raw tables (unless another workspace still tracks that platform account)
    and the marts, and the account itself."""
    row = conn.execute(
        """
        update app.connected_accounts set access_token_ciphertext = null,
            refresh_token_ciphertext = null, token_expires_at = null, is_active = false,
            disconnected_at = now(), updated_at = now()
        where account_id = %s
        returning platform, platform_account_id
        """, (account_id,)).fetchone()
    if row is None or not purge:
        return
    shared = conn.execute(
        "select 1 from app.connected_accounts where platform = %s and platform_account_id = %s "
        "and account_id <> %s limit 1",
        (row["platform"], row["platform_account_id"], account_id)).fetchone()
    if shared is None:
        _purge_raw(conn, row["platform"], row["platform_account_id"])
        _purge_derived(conn, row["platform"], row["platform_account_id"])
    _purge_marts(conn, account_id)
    conn.execute("delete from app.connected_accounts where account_id = %s", (account_id,))


def _existing_tables(conn: psycopg.Connection[Any], schema: str) -> set[str]:
    rows = conn.execute("select table_name from information_schema.tables "
                        "where table_schema = %s", (schema,)).fetchall()
    return {r["table_name"] for r in rows}


def _base_tables_with(conn: psycopg.Connection[Any], schemas: tuple[str, ...],
                      columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """The tables (not views) of ``schemas`` that have every one of ``columns``."""
    return conn.execute(
        "select c.table_schema, c.table_name from information_schema.columns c "
        "join information_schema.tables t using (table_schema, table_name) "
        "where c.table_schema = any(%s) and t.table_type = 'BASE TABLE' "
        "and c.column_name = any(%s) group by 1, 2 having count(*) = %s",
        (list(schemas), list(columns), len(columns))).fetchall()


def _purge_raw(conn: psycopg.Connection[Any], platform: str, platform_account_id: str) -> None:
    source = source_of(platform)
    schema = raw_dataset(source)
    present = _existing_tables(conn, schema)
    for table, column in RAW_ACCOUNT_COLUMNS[source].items():
        if table in present:
            conn.execute(sql.SQL("delete from {}.{} where {} = %s").format(
                sql.Identifier(schema), sql.Identifier(table), sql.Identifier(column)),
                (platform_account_id,))


def _purge_derived(conn: psycopg.Connection[Any], platform: str,
                   platform_account_id: str) -> None:
    """Rows of the platform account in the tables dbt keeps between builds (intermediate and
    marts, keyed by platform and platform_account_id): an incremental build only adds to them,
    so without this the purged account's snapshots and daily rows would outlive its raw rows
    until the next full rebuild."""
    rows = _base_tables_with(conn, ("intermediate", "marts"), ("platform", "platform_account_id"))
    for r in rows:
        conn.execute(sql.SQL("delete from {}.{} where platform = %s and platform_account_id = %s")
                     .format(sql.Identifier(r["table_schema"]), sql.Identifier(r["table_name"])),
                     (platform, platform_account_id))


def _purge_marts(conn: psycopg.Connection[Any], account_id: int) -> None:
    """Every marts table with an ``account_id`` (the app's id, the same in the marts)."""
    rows = _base_tables_with(conn, ("marts",), ("account_id",))
    for r in rows:
        conn.execute(sql.SQL("delete from marts.{} where account_id = %s").format(
            sql.Identifier(r["table_name"])), (account_id,))
