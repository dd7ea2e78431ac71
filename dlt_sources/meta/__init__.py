"""Meta Graph API source: Instagram business accounts and Facebook pages into ``raw_meta``.

Tables and columns are documented in README.md next to this file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any

import dlt
from dlt.sources import DltResource

from dlt_sources._shared.ageing import DEFAULT_POLL_SCHEDULE, PollSchedule
from dlt_sources._shared.context import SyncContext
from dlt_sources._shared.contract import declare_tables
from dlt_sources.meta import facebook, follower_history, instagram, settings
from dlt_sources.meta.helpers import GraphClient
from dlt_sources.meta.metrics import MetricRegistry
from dlt_sources.meta.polling import Run
from dlt_sources.meta.refusals import permanent_refusals
from dlt_sources.meta.tables import CONTRACT, FACEBOOK, INSTAGRAM, REJECTS
from dlt_sources.meta.usage import UsageGovernor
from socialpulse.accounts import SyncTarget

log = logging.getLogger(__name__)


@dlt.source(name="meta")
def meta_source(
    targets: Sequence[SyncTarget],
    context: SyncContext,
    base_url: str = dlt.config.value,
    api_version: str = settings.DEFAULT_API_VERSION,
    client_id: str = dlt.secrets.value,
    client_secret: str = dlt.secrets.value,
    lookback_days: int = settings.LOOKBACK_DAYS,
    page_size: int = settings.PAGE_SIZE,
    discovery_max_pages: int = settings.DISCOVERY_MAX_PAGES,
    instagram_media_metrics: list[str] | None = None,
    facebook_post_metrics: list[str] | None = None,
    poll_schedule: str = DEFAULT_POLL_SCHEDULE,
    usage_pace_at: int = settings.USAGE_PACE_AT,
    usage_pace_per_minute: int = settings.USAGE_PACE_PER_MINUTE,
) -> Sequence[DltResource]:
    """Instagram accounts/media/comments and Facebook pages/posts/comments with metric
    snapshots, for the connected ``targets`` (platform ``instagram`` or ``facebook``).

    Args:
        targets: Accounts to sync; competitors carry the token of an owned account.
        context: Warehouse location and per-account outcome reporting.
        base_url: Graph host, e.g. ``https://graph.facebook.com`` or the sandbox.
        api_version: Graph version in the path (``v24.0``); decides the metric registry.
        client_id: Meta app id (for ``fb_exchange_token``).
        client_secret: Meta app secret.
        lookback_days: Posts created this recently are re-polled (late and corrected
            insights land as new snapshots), as often as ``poll_schedule`` says for their age.
        page_size: Media/posts per listing page.
        discovery_max_pages: business_discovery pages read per competitor and run at most.
        instagram_media_metrics: Insights metrics per media (default: the registry's).
        facebook_post_metrics: Insights metrics per page post (default: the registry's).
        poll_schedule: age:interval tiers of the re-polls (``_shared/ageing.py``).
        usage_pace_at: Above this percentage of a Graph budget (usage headers), calls on it
            are paced; at 100 % none is made until access is back (``usage.py``).
        usage_pace_per_minute: Calls a minute on a budget above ``usage_pace_at``.
    """
    client = GraphClient(base_url, api_version, client_id, client_secret, UsageGovernor(
        int(usage_pace_at), int(usage_pace_per_minute), short_minutes=(
            settings.SHORT_THROTTLE_MINUTES)))
    run = Run(client, context, timedelta(days=lookback_days), page_size, registries={
        "instagram": MetricRegistry("instagram", list(instagram_media_metrics
                                                      or settings.IG_MEDIA_METRICS), api_version),
        "facebook": MetricRegistry("facebook", list(facebook_post_metrics
                                                    or settings.FB_POST_METRICS), api_version),
    }, discovery_max_pages=discovery_max_pages,
        schedule=PollSchedule.parse(str(poll_schedule)))
    by_platform = {p: [t for t in targets if t.platform == p] for p in CONTRACT.platforms}

    # one resource per platform, each routing its rows to that platform's tables; the tables'
    # hints are declared once below
    @dlt.resource(name="instagram", selected=True, write_disposition="merge")
    def instagram_accounts() -> Iterator[Any]:
        """Owned accounts first (their token exchange then also serves their competitors)."""
        state = dlt.current.resource_state("instagram").setdefault("last_seen", {})
        history = dlt.current.resource_state("instagram").setdefault("follower_history", {})
        for target in sorted(by_platform["instagram"], key=lambda t: t.is_competitor):
            if context.failed(target):
                continue
            with context.account(target, "instagram"), permanent_refusals(
                    "instagram", target.platform_account_id, target.is_competitor):
                sync = instagram.sync_competitor if target.is_competitor else (
                    instagram.sync_owned)
                yield from follower_history.with_history(run, target, history,
                                                         sync(run, target, state))

    @dlt.resource(name="facebook", selected=True, write_disposition="merge")
    def facebook_pages() -> Iterator[Any]:
        """Owned pages with their posts; competitor pages' public counts."""
        state = dlt.current.resource_state("facebook").setdefault("last_seen", {})
        history = dlt.current.resource_state("facebook").setdefault("follower_history", {})
        for target in sorted(by_platform["facebook"], key=lambda t: t.is_competitor):
            if context.failed(target):
                continue
            with context.account(target, "facebook"), permanent_refusals(
                    "facebook", target.platform_account_id, target.is_competitor):
                yield from follower_history.with_history(
                    run, target, history, facebook.sync_page(run, target, state))

    return (declare_tables(instagram_accounts, (*INSTAGRAM, REJECTS)),
            declare_tables(facebook_pages, (*FACEBOOK, REJECTS)))
