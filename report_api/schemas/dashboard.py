"""The dashboard overview: figures summed from marts.account_posts_daily."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

_RATE = ("Engagement rate by followers over the range, ratio of sums: engagement of the posts "
         "with a follower count / their followers at posting (since 2.0; 1.x averaged the "
         "posts' rates).")


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
    avg_engagement: float | None = Field(
        description="total_engagement / the posts of known engagement (posts_count "
        "includes posts whose engagement is unknown, which total_engagement leaves out).")
    engagement_rate: float | None = Field(description=_RATE)


class Overview(BaseModel):
    total_posts: int
    total_engagement: int
    avg_engagement: float | None = Field(
        description="total_engagement / the posts of known engagement (total_posts "
        "includes posts whose engagement is unknown, which total_engagement leaves out).")
    engagement_rate: float | None = Field(description=_RATE)
    start_date: date | None
    end_date: date | None
    accounts: list[AccountOverview]
