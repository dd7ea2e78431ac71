"""An account's posts with their latest metrics (marts.posts)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from pydantic import BaseModel, Field

from report_api.schemas.common import Aliased, deprecated_alias


class Engagement(BaseModel):
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None
    total: int | None = Field(description="The post's engagement: likes + comments + shares + "
                              "saves.")


class Post(Aliased):
    ALIASES: ClassVar[dict[str, str]] = {"id": "post_id", "content": "text", "url": "post_url"}

    post_id: str = Field(description="`<platform>:<platform_post_id>`, unique across platforms "
                         "(the product key; 1.x called it `id`).")
    platform_post_id: str = Field(description="The platform's own id of the post. In 1.x this "
                                  "value was the `post_id` field.")
    platform: str
    text: str | None
    post_url: str | None
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
    id: str = deprecated_alias("post_id")
    content: str | None = deprecated_alias("text")
    url: str | None = deprecated_alias("post_url")


class PostsPage(BaseModel):
    account_id: int
    posts: list[Post]
    limit: int
    sort: str
    order: str
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
