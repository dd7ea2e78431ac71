"""The outcome of a connection flow."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ConnectedAccountOut(BaseModel):
    account_id: int
    platform: str
    platform_account_id: str
    handle: str
    display_name: str | None
    is_new: bool = Field(description="False when an already connected account was reconnected "
                         "(its tokens replaced, its history kept).")


class ConnectionResult(BaseModel):
    workspace_id: int
    platform: str
    accounts: list[ConnectedAccountOut]
    not_added: list[str] = Field(default=[], description="A reconnect of one account: the "
                                 "other accounts the consent granted, left as they were.")


class DisconnectResult(BaseModel):
    account_id: int
    tokens_destroyed: bool = Field(True, description="Always true: the stored tokens are "
                                   "gone, whatever the platform answered.")
    purged: bool
    platform_revoke: Literal["revoked", "failed", "kept_shared", "not_possible"] = Field(
        description="revoked: the platform ended the grant; failed: it could not (detail "
        "says why; the tokens are destroyed anyway and die at their expiry or when the person "
        "removes the app); kept_shared: another connected account uses the same grant.")
    detail: str
