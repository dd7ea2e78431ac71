"""The outcome of a connection flow."""

from __future__ import annotations

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
