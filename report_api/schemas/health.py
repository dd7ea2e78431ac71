"""Liveness of the API's dependencies."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: Literal["ok", "degraded", "overloaded"]
    database: Literal["ok", "unreachable", "overloaded"] = Field(
        description="overloaded: Postgres may be fine, every pooled connection is busy")
    redis: Literal["ok", "unreachable", "not_configured"]
