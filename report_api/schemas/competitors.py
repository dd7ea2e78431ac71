"""Tracked competitors of a workspace: what to add, and each one's lookup status."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, Field

from report_api.schemas.common import Aliased, Platform, Strict, deprecated_alias

CompetitorStatus = Literal["pending", "tracked", "not_found", "not_available"]


class CompetitorCreate(Strict):
    platform: Platform
    handle_or_url: str = Field(
        min_length=1, max_length=300,
        description="`@name`, `name`, or the profile URL on that network (x.com/name, "
        "twitter.com/name, instagram.com/name, facebook.com/name, "
        "linkedin.com/company/name).")


class Competitor(BaseModel):
    competitor_id: int
    workspace_id: int
    platform: str
    handle: str = Field(description="The account name, lower case, without '@'.")
    status: CompetitorStatus = Field(
        description="`pending` until the next cycle looks it up; then `tracked` (synced "
        "like the owned accounts), `not_found` (the platform has no such account) or "
        "`not_available` (the platform gives no competitor data of it).")
    reason: str | None = Field(default=None, description="Why it is not_found, "
                               "not_available, or still pending.")
    account_id: int | None = Field(default=None, description="The competitor account once "
                                   "tracked (its figures are in the marts under this id).")
    platform_account_id: str | None = None
    display_name: str | None = None
    created_at: datetime
    resolved_at: datetime | None = None
    last_success_at: datetime | None = Field(default=None, description="Its last successful "
                                             "sync (tracked competitors).")
    read_with: Literal["own", "borrowed", "app"] | None = Field(
        default=None, description="Which token its last sync read with: `app` (the app's "
        "token, X) or `borrowed` (an owned account's of the workspace and platform).")


class CompetitorList(BaseModel):
    data: list[Competitor]
    limit: int = Field(description="Most competitors this workspace may track.")


class TrackingRequest(Aliased, Competitor):
    """A competitor queued by competitor-analysis with ``"track": true``."""

    ALIASES: ClassVar[dict[str, str]] = {"request_id": "competitor_id"}
    request_id: int = deprecated_alias("competitor_id")
