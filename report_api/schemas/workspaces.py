"""Client workspaces and their accounts' sync health."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from report_api.schemas.common import Strict

AccountStatus = Literal["ok", "never_synced", "failing", "held", "needs_reauth",
                        "disconnected"]


class Workspace(BaseModel):
    workspace_id: int
    name: str
    slug: str
    created_at: datetime
    owned_accounts: int = 0
    competitor_accounts: int = 0
    accounts_needing_reauth: int = 0


class WorkspaceList(BaseModel):
    data: list[Workspace]


class WorkspaceCreate(Strict):
    name: str = Field(min_length=1, max_length=200,
                      description="The client's name, as the agency calls it.")
    slug: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]{0,62}$",
                             description="URL name; derived from the name when omitted.")


class AccountHealth(BaseModel):
    """A connected account and how its syncs go (from app.sync_state)."""

    account_id: int
    workspace_id: int
    platform: str
    platform_account_id: str
    handle: str
    display_name: str | None
    is_competitor: bool
    is_active: bool
    status: AccountStatus = Field(description="needs_reauth: reconnect it; held: the platform "
                                  "said when to come back (next_retry_at) or refused for good; "
                                  "failing: the last sync failed and will be retried.")
    connected_at: datetime | None
    disconnected_at: datetime | None
    token_expires_at: datetime | None
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    needs_reauth: bool
    next_retry_at: datetime | None
    retry_reason: str | None
    consecutive_failures: int


class AccountHealthList(BaseModel):
    data: list[AccountHealth]


def account_status(row: dict) -> AccountStatus:
    """One word for an account's state, worst first."""
    if not row["is_active"]:
        return "disconnected"
    if row["needs_reauth"]:
        return "needs_reauth"
    if row["retry_reason"]:
        return "held"
    if row["last_attempt_at"] is None:
        return "never_synced"
    if row["last_error_at"] and (row["last_success_at"] is None
                                 or row["last_error_at"] > row["last_success_at"]):
        return "failing"
    return "ok"
