"""Tokens and the current user."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from report_api.schemas.common import Strict


class TokenRequest(Strict):
    email: str = Field(min_length=3, max_length=320, pattern=r"^[^\x00-\x1f\s]+@[^\x00-\x1f\s]+$")
    password: str = Field(min_length=1, max_length=1024)


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")


class Me(BaseModel):
    user_id: int
    email: str
    role: str
    agency_id: int
    workspace_ids: list[int]
