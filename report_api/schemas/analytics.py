"""Competitor analysis (marts.competitor_benchmark) and trending hashtags (hashtag_trends)."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
    model_validator,
)

from report_api.schemas.common import (
    Aliased,
    DateRange,
    Handle,
    Id,
    Strict,
    deprecated_alias,
    deprecated_input,
)
from report_api.schemas.competitors import TrackingRequest

CompetitorMetric = Literal["posts", "public_engagement", "posting_frequency",
                           "public_engagement_per_post", "engagement_rate", "share_of_voice",
                           "engagement", "engagement_per_post"]
# 1.x metric names -> the 2.0 names saying that competitors are compared on public engagement
METRIC_RENAMES = {"engagement": "public_engagement",
                  "engagement_per_post": "public_engagement_per_post"}
DEFAULT_METRICS: tuple[CompetitorMetric, ...] = ("engagement_rate", "posting_frequency")
# request field renames of 2.0: old -> new
# every metric once, deprecated names included; more is a 422, not work
MAX_METRICS = 8
_REQUEST_RENAMES = {"user_accounts": "owned_account_ids",
                    "competitor_accounts": "competitor_handles"}


class CompetitorAnalysisRequest(Strict):
    owned_account_ids: list[Id] = Field(min_length=1, max_length=50,
                                        description="Owned accounts to compare.")
    competitor_handles: list[Handle] = Field(
        default_factory=list, max_length=50,
        description="Handles of tracked competitors (with or without '@').")
    metrics: list[CompetitorMetric] = Field(
        default_factory=lambda: list(DEFAULT_METRICS), min_length=1, max_length=MAX_METRICS,
        description="Figures per account. `engagement` and `engagement_per_post` are "
        "deprecated names of `public_engagement` and `public_engagement_per_post`.")
    date_range: DateRange
    grain: Literal["day", "week", "month"] = Field(
        default="week", description="Grain of the per-period series.")
    track: StrictBool = Field(
        default=False, description="Track unknown competitor handles (agency admins), as "
        "POST /api/workspaces/{id}/competitors does: the next cycle looks them up on the "
        "platform; `tracking_queued` lists them with their status.")
    user_accounts: list[Id] | None = deprecated_input("owned_account_ids", max_length=50)
    competitor_accounts: list[Handle] | None = deprecated_input("competitor_handles",
                                                                max_length=50)

    @model_validator(mode="before")
    @classmethod
    def _accept_old_names(cls, data: Any) -> Any:
        """A 1.x field moves onto its 2.0 name (sent together with it, it is refused below)."""
        if isinstance(data, dict):
            data = dict(data)
            for old, new in _REQUEST_RENAMES.items():
                if data.get(old) is not None and new not in data:
                    data[new] = data.pop(old)
        return data

    @field_validator("user_accounts", "competitor_accounts")
    @classmethod
    def _not_both(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None:
            raise ValueError(f"deprecated name of {_REQUEST_RENAMES[str(info.field_name)]}: "
                             "send one of them, not both")
        return value

    def metric_names(self) -> list[str]:
        """The requested metrics under their 2.0 names, in order, without repeats."""
        return list(dict.fromkeys(METRIC_RENAMES.get(m, m) for m in self.metrics))


BenchmarkStatus = Literal["comparable", "not_available"]


class CompetitorFigures(BaseModel):
    account_id: int
    workspace_id: int
    platform: str
    handle: str
    is_competitor: bool
    benchmark_status: BenchmarkStatus = Field(
        default="comparable", description="`not_available`: the platform gives no posts of "
        "this competitor (Facebook Pages you do not manage, LinkedIn organizations you do not "
        "administer); its metrics are null, never 0, and it is left out of share of voice.")
    benchmark_status_reason: str | None = Field(
        default=None, description="Why the account is not_available.")
    metrics: dict[str, float | None] = Field(
        description="The requested metrics over the date range, summed from the benchmark's "
        "day grain (engagement figures of mature posts only; posting frequency = posts / "
        "observed days of the range); a deprecated metric name carries the same value as its "
        "new name.")
    vs_competitor_avg: dict[str, float | None] | None = Field(
        default=None, deprecated="Deprecated: always null since 2.0; the competitor gaps are "
        "the mart's, per period, in `series[]`; removed in 3.0.",
        description="Deprecated: always null since 2.0; the competitor gaps are the mart's, "
        "per period, in `series[]` (`*_vs_competitor_avg`); removed in 3.0.")


class SeriesPoint(Aliased):
    """One account and period of marts.competitor_benchmark (public engagement throughout)."""

    ALIASES: ClassVar[dict[str, str]] = {
        "engagement": "public_engagement", "engagement_per_post": "public_engagement_per_post"}

    account_id: int
    period_start: date
    benchmark_status: BenchmarkStatus = "comparable"
    benchmark_status_reason: str | None = None
    observed_days: int | None = Field(
        default=None, description="Days of the period the account was observed "
        "(posting_frequency = posts / observed_days).")
    posts: int | None = Field(description="Null when not_available.")
    mature_posts: int | None = Field(
        default=None, description="Posts of the period old enough (post_maturity_hours) to "
        "count in the engagement figures and the rank.")
    public_engagement: int | None = Field(description="Of the mature posts; null when "
                                          "not_available.")
    posting_frequency: float | None
    public_engagement_per_post: float | None
    engagement_rate: float | None = Field(description="Engagement rate by followers (public "
                                          "engagement / followers at posting).")
    share_of_voice: float | None
    public_engagement_rank: int | None = Field(
        description="1 = most public engagement of the set's comparable members in the period; "
        "null when not_available, in a set with fewer than 2 comparable members, or in a "
        "period without a mature post.")
    public_engagement_percentile: float | None
    public_engagement_per_post_vs_competitor_avg: float | None = Field(
        description="Gap to the average of the set's competitors in the period (the mart's).")
    engagement_rate_vs_competitor_avg: float | None = Field(
        description="Gap to the average of the set's competitors in the period (the mart's).")
    engagement: int | None = deprecated_alias("public_engagement")
    engagement_per_post: float | None = deprecated_alias("public_engagement_per_post")


class CompetitorAnalysis(BaseModel):
    date_range: DateRange
    metrics: list[str]
    grain: str
    accounts: list[CompetitorFigures]
    series: list[SeriesPoint]
    tracking_queued: list[TrackingRequest] = Field(default_factory=list)
    competitor_average: list[dict[str, Any]] = Field(
        default_factory=list, deprecated="Deprecated: always empty since 2.0; removed in 3.0.",
        description="Deprecated: always empty since 2.0 (the mart's gaps in `series[]` replace "
        "it); removed in 3.0.")


class TrendingHashtag(BaseModel):
    hashtag: str
    posts: int
    engagement: int
    velocity: float | None = Field(description="z-score of the tag's posts on the as_of day "
                                   "(highest of the visible workspaces).")
    peak_velocity: float | None
    trending_rank: int | None = Field(
        default=None, description="Best rank of the tag on the as_of day (1 = fastest "
        "rising); null when it had fewer posts that day than the trend minimum.")


class TrendingHashtags(BaseModel):
    window_days: int
    as_of: date | None
    platform: str | None
    hashtags: list[TrendingHashtag]
