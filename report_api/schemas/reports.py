"""Report requests and their status."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from report_api.schemas.common import DateRange, Id, Strict

ReportType = Literal["performance", "competitor", "full"]
ReportStatus = Literal["queued", "running", "done", "failed"]


class ReportCreate(Strict):
    report_type: ReportType = "full"
    date_range: DateRange
    account_ids: list[Id] | None = Field(
        default=None, min_length=1, max_length=100,
        description="Owned accounts of one workspace; default: all of workspace_id's.")
    workspace_id: Id | None = Field(default=None, description="Needed without account_ids "
                                     "when the user sees more than one workspace.")


class Report(BaseModel):
    report_id: UUID
    workspace_id: int
    report_type: str
    start_date: date
    end_date: date
    account_ids: list[int]
    status: ReportStatus
    failure_reason: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    links: dict[str, str]
