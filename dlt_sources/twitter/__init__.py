"""X / Twitter API v2 source: users, tweets, replies and metric snapshots into ``raw_twitter``.

Owned accounts are read with their user token (refreshed in place on a 401), competitors with the
app-only bearer token. New tweets come from the timeline with ``since_id`` kept per account in
dlt resource state; tweets inside the lookback window are re-polled with batch lookups of 100 ids.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import dlt

from dlt_sources._shared.ageing import DEFAULT_POLL_SCHEDULE, PollSchedule, WindowPolls
from dlt_sources._shared.context import SyncContext
from dlt_sources._shared.contract import declare_tables, route
from dlt_sources._shared.http import server_time
from dlt_sources._shared.quarantine import reject
from dlt_sources.twitter import records, settings
from dlt_sources.twitter.helpers import OAuthApp, XApi, build_client
from dlt_sources.twitter.limits import AppLimits
from dlt_sources.twitter.tables import (
    REJECTS,
    REPLIES,
    TWEET_SNAPSHOTS,
    TWEETS,
    USER_SNAPSHOTS,
    USERS,
)
from dlt_sources.twitter.tweets import (
    conversation_queries,
    lookup,
    replies,
    timeline,
    user_missing,
)
from socialpulse.accounts import SyncTarget

log = logging.getLogger(__name__)


def _runtime(key: str, default: float) -> float:
    value: Any = dlt.config.get(f"runtime.{key}")
    return float(value) if value is not None else default


@dlt.source(name="twitter", max_table_nesting=0)
def twitter_source(
    targets: list[SyncTarget],
    context: SyncContext,
    base_url: str = dlt.config.value,
    client_id: str = dlt.secrets.value,
    client_secret: str = dlt.secrets.value,
    app_bearer_token: str = dlt.secrets.value,
    lookback_days: int = settings.DEFAULT_LOOKBACK_DAYS,
    timeline_page_size: int = settings.TIMELINE_PAGE_SIZE,
    max_rate_limit_wait_s: float = settings.DEFAULT_MAX_RATE_LIMIT_WAIT_S,
    request_max_attempts: int = 6,
    poll_schedule: str = DEFAULT_POLL_SCHEDULE,
) -> Any:
    """Users, tweets, replies and their snapshots of the X accounts in ``targets``.

    Args:
        targets: Accounts to sync (competitors carry the token of an owned account).
        context: Warehouse location, shared credentials and per-account outcomes.
        base_url: API root (``https://api.x.com`` or the sandbox).
        client_id: OAuth 2.0 client id, used to refresh user tokens.
        client_secret: OAuth 2.0 client secret.
        app_bearer_token: App-only bearer token for competitors' public data.
        lookback_days: Tweets younger than this are re-polled for metrics, as often as
            ``poll_schedule`` says for their age.
        timeline_page_size: ``max_results`` of timeline pages (5-100).
        max_rate_limit_wait_s: Longest wait for an exhausted rate-limit window (a 429's
            ``x-rate-limit-reset``) before that token's calls to the endpoint stop for this run
            (RateLimited until the reset).
        request_max_attempts: Attempts per request on 429/5xx (5xx: dlt's retrying session).
        poll_schedule: age:interval tiers of the re-polls (``_shared/ageing.py``).
    """
    window = WindowPolls(context.warehouse_url, context.dataset, TWEETS, TWEET_SNAPSHOTS,
                         PollSchedule.parse(str(poll_schedule)), accounts=context.accounts)
    # one app: a usage cap met by any token stops every call of the run
    limits = AppLimits(max_rate_limit_wait_s, request_max_attempts,
                       _runtime("request_backoff_factor", 0.5),
                       _runtime("request_max_retry_delay", 30.0))
    client = build_client(base_url, limits)
    oauth = OAuthApp(client_id, client_secret)
    app_api = XApi(client, app_token=app_bearer_token, app_limits=limits)
    apis: dict[int, XApi] = {}

    def api_for(target: SyncTarget) -> XApi:
        if target.is_competitor:
            return app_api
        creds = context.credentials(target)
        if creds.account_id not in apis:
            apis[creds.account_id] = XApi(client, creds, oauth=oauth, app_limits=limits)
        return apis[creds.account_id]

    # one API answer feeds several tables: each resource routes its rows (route), the tables'
    # hints are declared once below
    @dlt.resource(name="users", write_disposition="merge")
    def users() -> Iterator[Any]:
        """One users row and one user_metric_snapshots row per account."""
        for target in targets:
            with context.account(target, "users"):
                response = api_for(target).get(
                    settings.USER_PATH.format(id=target.platform_account_id),
                    {"user.fields": settings.USER_FIELDS}, "users")
                observed_at = server_time(response)
                body = response.json()
                if not isinstance(body.get("data"), dict):
                    # unknown or suspended users come back as HTTP 200 with only errors
                    raise user_missing(body)
                try:
                    row, snapshot = records.user_rows(body["data"], target.is_competitor,
                                                      observed_at)
                except records.Malformed as exc:
                    yield reject("users", body["data"], str(exc), observed_at,
                                 target.platform_account_id)
                    continue
                yield route(USERS, row)
                yield route(USER_SNAPSHOTS, snapshot)

    @dlt.resource(name="tweets", write_disposition="merge")
    def tweets() -> Iterator[Any]:
        """New tweets, re-polled metrics of recent tweets, deletions, and replies."""
        state = dlt.current.resource_state().setdefault("since_id", {})
        for target in targets:
            if context.failed(target):
                continue
            with context.account(target, "tweets"):
                yield from _sync_account(target, api_for(target), state)

    def _sync_account(target: SyncTarget, api: XApi, state: dict) -> Iterator[Any]:
        account_id = target.platform_account_id
        seen: dict[str, datetime] = {}
        result = yield from timeline(api, account_id, state.get(account_id),
                                     timeline_page_size, seen)
        newest, now = result
        # ageing polls: an older tweet is looked up only when its tier's interval has passed
        due = window.due(account_id, now - timedelta(days=lookback_days), now, seen)
        alive = yield from lookup(api, due, context, account_id)
        if not target.is_competitor:
            cutoff = now - timedelta(days=settings.SEARCH_WINDOW_DAYS)
            recent = [i for i, created in seen.items() if created >= cutoff]
            recent += [i for i, created in alive.items() if created >= cutoff]
            for query in conversation_queries(sorted(set(recent))):
                yield from replies(api, query, account_id)
        if newest:
            # committed with the load only: a failed load re-reads these tweets next time
            state[account_id] = newest

    return (declare_tables(users, (USERS, USER_SNAPSHOTS, REJECTS)),
            declare_tables(tweets, (TWEETS, TWEET_SNAPSHOTS, REPLIES, REJECTS)))
