"""Request and response models (the OpenAPI contract)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

Platform = Literal["twitter", "instagram", "facebook", "linkedin"]
CompetitorMetric = Literal["engagement_rate", "posting_frequency", "engagement_per_post",
                           "share_of_voice", "engagement", "posts"]
ReportType = Literal["performance", "competitor", "full"]
ReportStatus = Literal["queued", "running", "done", "failed"]
MAX_RANGE_DAYS = 366
# a Postgres bigint; larger numbers are refused with 422 instead of overflowing in SQL
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
# handles as platforms allow them (letters, digits, _ . -), optional leading '@'
Handle = Annotated[str, Field(pattern=r"^@?[A-Za-z0-9_.\-]{1,100}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorInfo(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    """The shape of every error response."""

    error: ErrorInfo


class DateRange(Strict):
    start: date
    end: date

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.start > self.end:
            raise ValueError("start must be on or before end")
        if (self.end - self.start).days >= MAX_RANGE_DAYS:
            raise ValueError(f"a date range spans at most {MAX_RANGE_DAYS} days")
        return self


# auth --------------------------------------------------------------------------------------


class TokenRequest(Strict):
    email: str = Field(min_length=3, max_length=320, pattern=r"^[^\x00-\x1f\s]+@[^\x00-\x1f\s]+$")
    password: str = Field(min_length=1, max_length=1024)


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")


# dashboard ---------------------------------------------------------------------------------


class AccountOverview(BaseModel):
    account_id: int
    workspace_id: int
    platform: str
    handle: str | None
    display_name: str | None
    is_competitor: bool
    followers_count: int | None
    posts_count: int
    total_engagement: int
    avg_engagement: float | None
    engagement_rate: float | None = Field(
        description="Mean engagement_rate_by_followers of the posts in the range.")


class Overview(BaseModel):
    total_posts: int
    total_engagement: int
    avg_engagement: float | None
    engagement_rate: float | None
    start_date: date | None
    end_date: date | None
    accounts: list[AccountOverview]


# posts -------------------------------------------------------------------------------------


class Engagement(BaseModel):
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None
    total: int | None = Field(description="likes + comments + shares + saves.")


class Post(BaseModel):
    id: str = Field(description="post_key: platform:post_id.")
    post_id: str
    platform: str
    content: str | None
    url: str | None
    media_type: str | None
    created_at: datetime
    is_deleted: bool
    engagement: Engagement
    clicks: int | None
    impressions: int | None
    reach: int | None
    views: int | None
    engagement_rate_by_followers: float | None
    engagement_rate_by_impressions: float | None
    engagement_rate_by_reach: float | None
    sentiment_label: str | None
    sentiment_compound: float | None
    metrics_observed_at: datetime | None


class PostsPage(BaseModel):
    account_id: int
    posts: list[Post]
    limit: int
    sort: str
    order: str
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")


# analytics ---------------------------------------------------------------------------------


DEFAULT_METRICS: tuple[CompetitorMetric, ...] = ("engagement_rate", "posting_frequency")


class CompetitorAnalysisRequest(Strict):
    user_accounts: list[Id] = Field(min_length=1, max_length=50)
    competitor_accounts: list[Handle] = Field(
        default_factory=list, max_length=50,
        description="Handles of tracked competitors (with or without '@').")
    metrics: list[CompetitorMetric] = Field(
        default_factory=lambda: list(DEFAULT_METRICS), min_length=1)
    date_range: DateRange
    grain: Literal["day", "week", "month"] = Field(
        default="week", description="Grain of the per-period series.")
    track: bool = Field(
        default=False, description="Queue unknown competitor handles for tracking (agency "
        "admins): they are resolved and synced on the next cycle.")


class CompetitorFigures(BaseModel):
    account_id: int
    workspace_id: int
    platform: str
    handle: str
    is_competitor: bool
    metrics: dict[str, float | None]
    vs_competitor_avg: dict[str, float | None] | None = Field(
        default=None, description="Owned accounts: metric minus the requested competitors' "
        "average on the same platform.")


class CompetitorAverage(BaseModel):
    workspace_id: int
    platform: str
    metrics: dict[str, float | None]


class SeriesPoint(BaseModel):
    account_id: int
    period_start: date
    posts: int
    engagement: int
    posting_frequency: float | None
    engagement_per_post: float | None
    engagement_rate: float | None
    share_of_voice: float | None


class TrackingRequest(BaseModel):
    request_id: int
    workspace_id: int
    platform: str
    handle: str
    status: str
    created_at: datetime


class CompetitorAnalysis(BaseModel):
    date_range: DateRange
    metrics: list[str]
    grain: str
    accounts: list[CompetitorFigures]
    competitor_average: list[CompetitorAverage]
    series: list[SeriesPoint]
    tracking_queued: list[TrackingRequest] = Field(default_factory=list)


class TrendingHashtag(BaseModel):
    hashtag: str
    posts: int
    engagement: int
    velocity: float | None = Field(description="z-score of the tag's posts on the as_of day.")
    peak_velocity: float | None


class TrendingHashtags(BaseModel):
    window_days: int
    as_of: date | None
    platform: str | None
    hashtags: list[TrendingHashtag]


# reports -----------------------------------------------------------------------------------


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


# alerts ------------------------------------------------------------------------------------


class Alert(BaseModel):
    alert_id: int
    kind: str
    account_id: int
    workspace_id: int
    platform: str
    handle: str
    post_key: str | None
    rule: str
    score: float | None
    payload: dict[str, Any]
    status: str
    detected_at: datetime
    created_at: datetime
    sent_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by_user_id: int | None


class AlertList(BaseModel):
    alerts: list[Alert]
    next_cursor: str | None


class Me(BaseModel):
    user_id: int
    email: str
    role: str
    agency_id: int
    workspace_ids: list[int]


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "unreachable"]
    redis: Literal["ok", "unreachable", "not_configured"]
