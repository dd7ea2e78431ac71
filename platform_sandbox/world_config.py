"""The knobs of a synthetic world: its size, the share of each kind of post, and its start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

PLATFORMS = ("twitter", "instagram", "facebook", "linkedin")
# LinkedIn exposes no per-post data of organisations you do not administer
COMPETITOR_PLATFORMS = ("twitter", "instagram", "facebook")


@dataclass(frozen=True)
class WorldConfig:
    """Size and behaviour knobs of a world; equal configs give identical worlds."""

    seed: int = 7
    agencies: int = 1
    workspaces_per_agency: int = 2
    owned_accounts_per_platform: int = 1
    competitors_per_workspace: int = 3
    # clients whose people own accounts that no agency has connected yet (no competitors):
    # they can log in to the consent pages, but /_sandbox/world does not list them
    prospect_workspaces: int = 0
    # posts per account over history_days; None = each network's published posting frequency
    posts_per_account: int | None = None
    history_days: float = 20.0
    comments_per_post: float = 3.0
    viral_fraction: float = 0.03
    # a viral post takes off this many hours after it is published (drawn between the two)
    viral_delay_min_hours: float = 1.0
    viral_delay_max_hours: float = 4.0
    # per-post engagement spread around the account's level (log-normal sigma), and the share
    # of strong posts (2-3.5x that level, never viral): real brand engagement is heavy-tailed
    engagement_sigma: float = 0.35
    strong_fraction: float = 0.03
    strong_max_multiplier: float = 3.5
    deleted_fraction: float = 0.02
    non_english_fraction: float = 0.05
    crisis_fraction: float = 0.02
    malformed_fraction: float = 0.0
    # X timelines: shares of items that are retweets of other people's tweets (carrying the
    # original's public_metrics) and quote tweets (the account's own, with their own metrics)
    retweet_fraction: float = 0.2
    quote_fraction: float = 0.05
    # Facebook posts nobody ever shares (small Pages have many): Graph omits their `shares`
    # object. Viral posts are always shared.
    unshared_fraction: float = 0.2
    # Instagram media whose insights come without `shares` (unavailable, not 0); none by
    # default
    ig_shares_unavailable_fraction: float = 0.0
    # owned Instagram accounts: this many of their oldest media (viral ones excepted) were
    # posted before the account became a business account, so Graph refuses their insights
    # (#100, subcode 2108006); and the Meta app's own limit (#4) is spent for this many
    # minutes, starting this many hours after the sandbox's clock started. Off here; the
    # served world has both (cli.py)
    preconversion_media: int = 0
    meta_app_throttled_minutes: float = 0.0
    meta_app_throttled_after_hours: float = 0.0
    start: datetime = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

    def __post_init__(self) -> None:
        for name in ("agencies", "workspaces_per_agency", "posts_per_account"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1")
        for name in ("viral_fraction", "deleted_fraction", "non_english_fraction",
                     "crisis_fraction", "malformed_fraction", "retweet_fraction",
                     "quote_fraction", "strong_fraction", "unshared_fraction",
                     "ig_shares_unavailable_fraction"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.engagement_sigma < 0 or self.strong_max_multiplier < 2:
            raise ValueError("engagement_sigma must be >= 0 and strong_max_multiplier >= 2")
        if not 0 <= self.viral_delay_min_hours <= self.viral_delay_max_hours:
            raise ValueError("viral delays must satisfy 0 <= min <= max hours")
        if min(self.preconversion_media, self.meta_app_throttled_minutes,
               self.meta_app_throttled_after_hours) < 0:
            raise ValueError("preconversion_media, meta_app_throttled_minutes and "
                             "meta_app_throttled_after_hours must be >= 0")
        if self.prospect_workspaces < 0:
            raise ValueError("prospect_workspaces must be >= 0")
