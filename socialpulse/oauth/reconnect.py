"""Reconnecting one account: the consent must grant that account; only its tokens are
replaced. Anything else the consent granted is left out (and named), and a consent that does
not grant the account changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import psycopg

from socialpulse.oauth.client import ConnectionFailed
from socialpulse.oauth.connect import ConnectedAccount
from socialpulse.oauth.grants import GrantedAccount
from socialpulse.platforms import display_name


@dataclass(frozen=True)
class Completion:
    """A finished flow: the workspace, the accounts connected (or the one reconnected) and,
    for a reconnect, what else the consent granted that was not added."""

    workspace_id: int
    accounts: list[ConnectedAccount]
    not_added: list[str] = field(default_factory=list)


def _name(platform: str, handle: str) -> str:
    return f"{display_name(platform)} @{handle}"


def only_the_account(conn: psycopg.Connection[Any], account_id: int,
                     granted: list[GrantedAccount]) -> tuple[list[GrantedAccount], list[str]]:
    """(the granted account that is being reconnected, the names of the others); raises
    ConnectionFailed, naming both, when the consent did not grant it."""
    row = conn.execute("select platform, platform_account_id, handle from "
                       "app.connected_accounts where account_id = %s", (account_id,)
                       ).fetchone()
    if row is None:
        raise ConnectionFailed("the account being reconnected was deleted meanwhile: connect "
                               "it again with Connect")
    wanted = (row["platform"], row["platform_account_id"])
    match = [g for g in granted if (g.platform, g.platform_account_id) == wanted]
    others = [_name(g.platform, g.handle) for g in granted
              if (g.platform, g.platform_account_id) != wanted]
    if not match:
        got = ", ".join(others) or "no account"
        raise ConnectionFailed(
            f"the consent granted {got}, not {_name(row['platform'], row['handle'])}, which is "
            "being reconnected: nothing was changed. Log in on the network as the person who "
            "manages that account and grant it")
    return match, others
