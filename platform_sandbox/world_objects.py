"""The objects of a synthetic world (workspaces, accounts, posts, comments) and their ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

ID_EPOCH_MS = 1_577_836_800_000  # 2020-01-01, the origin of our snowflake-style ids


@dataclass(frozen=True)
class Workspace:
    workspace_key: str
    agency_key: str
    name: str
    vertical: str
    is_prospect: bool = False


@dataclass(frozen=True)
class Account:
    index: int
    platform: str
    platform_account_id: str
    handle: str
    name: str
    workspace_key: str
    is_competitor: bool
    vertical: str
    base_followers: int
    growth_per_day: float
    post_interval_s: float
    engagement_rate: float


@dataclass(frozen=True)
class Post:
    account: Account
    k: int
    created_at: datetime
    raw_id: int
    text: str
    hashtags: tuple[str, ...]
    language: str
    sentiment: str
    media_type: str
    is_viral: bool
    viral_at: datetime | None
    deleted_at: datetime | None
    is_crisis: bool
    is_malformed: bool
    final: dict[str, int] = field(repr=False)
    viral_extra: dict[str, int] = field(repr=False)
    # "post", or on X "retweet" (someone else's tweet: metrics are the original's, counted
    # from original_at) or "quote" (the account's own post quoting referenced_id)
    kind: str = "post"
    referenced_id: int | None = None
    original_at: datetime | None = None
    # Instagram: Graph has no `shares` insight for this media (it leaves the metric out of
    # the insights it returns, an empty value instead of 0)
    shares_unavailable: bool = False

    @property
    def is_retweet(self) -> bool:
        """A retweet is posting activity, never the account's own engagement."""
        return self.kind == "retweet"

    def visible_at(self, t: datetime) -> bool:
        """Published by ``t`` and not yet deleted."""
        return self.created_at <= t and (self.deleted_at is None or t < self.deleted_at)


@dataclass(frozen=True)
class Comment:
    post: Post
    j: int
    raw_id: int
    created_at: datetime
    author_handle: str
    text: str
    sentiment: str
    language: str


def encode_id(ms: int, account_index: int, sub: int) -> int:
    """Time-ordered 63-bit id: ms since 2020 | account (12 bits) | sub-object (10 bits)."""
    return ((ms - ID_EPOCH_MS) << 22) | ((account_index & 0xFFF) << 10) | (sub & 0x3FF)


def decode_id(raw_id: int) -> tuple[int, int, int]:
    """Inverse of :func:`encode_id`: (ms, account_index, sub)."""
    return (raw_id >> 22) + ID_EPOCH_MS, (raw_id >> 10) & 0xFFF, raw_id & 0x3FF


def ms(t: datetime) -> int:
    """Milliseconds since the Unix epoch, as ids carry them."""
    return int(t.timestamp() * 1000)
