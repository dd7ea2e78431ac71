"""Connect the sandbox's demo agency: workspaces and accounts (tokens encrypted) into app.*."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import psycopg

from socialpulse import competitors
from socialpulse.crypto import TokenCipher


def fetch_world(sandbox_url: str) -> dict:
    """The sandbox's agencies, workspaces and accounts, with freshly issued tokens."""
    response = httpx.get(f"{sandbox_url.rstrip('/')}/_sandbox/world", timeout=30)
    response.raise_for_status()
    return response.json()


def seed_from_world(conn: psycopg.Connection[Any], world: dict,
                    cipher: TokenCipher | None = None, owned: bool = True) -> dict[str, int]:
    """Upsert the world's agency, workspaces and accounts; returns counts per table.

    Re-running updates tokens in place and adds nothing twice. With ``owned=False`` the owned
    accounts are left out: they are connected through the OAuth flow instead (``make demo``).
    """
    cipher = cipher or TokenCipher.from_settings()
    agency_ids: dict[str, int] = {}
    workspace_ids: dict[str, int] = {}
    for ws in world["workspaces"]:
        agency = ws["agency_key"]
        if agency not in agency_ids:
            agency_ids[agency] = conn.execute(
                "insert into app.agencies (name) values (%s) on conflict (name) do update "
                "set name = excluded.name returning agency_id",
                (f"Demo agency {agency}",)).fetchone()["agency_id"]  # type: ignore[index]
        workspace_ids[ws["workspace_key"]] = conn.execute(
            "insert into app.workspaces (agency_id, name, slug) values (%s, %s, %s) "
            "on conflict (slug) do update set name = excluded.name returning workspace_id",
            (agency_ids[agency], ws["name"], ws["workspace_key"])
        ).fetchone()["workspace_id"]  # type: ignore[index]
    accounts = [a for a in world["accounts"] if owned or a["is_competitor"]]
    for acct in accounts:
        tokens = acct.get("tokens") or {}
        access = tokens.get("access_token")
        refresh = tokens.get("refresh_token")
        expires = datetime.fromisoformat(tokens["expires_at"]) if tokens.get("expires_at") else None
        conn.execute(
            """
            insert into app.connected_accounts (workspace_id, platform, platform_account_id,
                handle, display_name, is_competitor, access_token_ciphertext,
                refresh_token_ciphertext, token_expires_at)
            values (%s, %s, %s, %s, %s, %s, %s, %s, %s)
            on conflict (workspace_id, platform, platform_account_id) do update set
                handle = excluded.handle, display_name = excluded.display_name,
                access_token_ciphertext = excluded.access_token_ciphertext,
                refresh_token_ciphertext = excluded.refresh_token_ciphertext,
                token_expires_at = excluded.token_expires_at, updated_at = now()
            """,
            (workspace_ids[acct["workspace_key"]], acct["platform"],
             str(acct["platform_account_id"]), acct["handle"], acct["name"],
             acct["is_competitor"], cipher.encrypt(access) if access else None,
             cipher.encrypt(refresh) if refresh else None, expires),
        )
    competitors.adopt_connected(conn)
    return {"agencies": len(agency_ids), "workspaces": len(workspace_ids),
            "connected_accounts": len(accounts)}


def source_secrets_env(world: dict) -> dict[str, str]:
    """dlt environment variables carrying the sandbox's app credentials."""
    env = {}
    for group, creds in world["app_credentials"].items():
        for key, value in creds.items():
            env[f"SOURCES__{group.upper()}__{key.upper()}"] = value
    return env
