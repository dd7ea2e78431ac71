"""One organization's sync: follower counts, its posts (``posts.py``), then statistics and
comments of the live ones. Rows are collected per table so that each dlt resource (one per
table) can yield its share, whichever resource runs first."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from dlt_sources._shared.ageing import DEFAULT_POLL_SCHEDULE, PollSchedule, WindowPolls
from dlt_sources._shared.context import SyncContext
from dlt_sources._shared.http import server_time
from dlt_sources._shared.quarantine import reject
from dlt_sources.linkedin import records, settings
from dlt_sources.linkedin.errors import NotFound
from dlt_sources.linkedin.follower_history import follower_gain_rows
from dlt_sources.linkedin.helpers import LinkedInApi, comments_paginator, urn_list
from dlt_sources.linkedin.posts import chunks, new_posts, recheck
from dlt_sources.linkedin.tables import (
    COMMENTS,
    ORGANIZATION_FOLLOWER_GAINS,
    ORGANIZATION_SNAPSHOTS,
    ORGANIZATIONS,
    POST_SNAPSHOTS,
    POSTS,
    REJECTS,
)
from socialpulse.accounts import SyncTarget

log = logging.getLogger(__name__)


@dataclass
class SourceConfig:
    """The source's settings, as resolved by dlt."""

    base_url: str
    api_version: str
    client_id: str
    client_secret: str
    lookback_days: int
    page_size: int
    batch_size: int
    comments_page_size: int
    token_url: str | None = None
    poll_schedule: str = DEFAULT_POLL_SCHEDULE


@dataclass
class OrgHarvest:
    """Rows fetched for one organization, by raw table name."""

    tables: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))


class Harvester:
    """Fetches each organization once per run (memoised), inside its failure boundary."""

    def __init__(self, config: SourceConfig, context: SyncContext):
        self.config, self.context = config, context
        self.schedule = PollSchedule.parse(config.poll_schedule)
        self._done: dict[str, OrgHarvest] = {}
        self._window = WindowPolls(context.warehouse_url, context.dataset, POSTS,
                                   POST_SNAPSHOTS, self.schedule, ("comment_count",),
                                   accounts=context.accounts)

    def known(self, org_id: str, since: datetime) -> dict[str, dict]:
        """An organization's loaded posts of the window, each with its latest snapshot's
        time and comment count (read once per run, see WindowPolls)."""
        return self._window.posts(org_id, since)

    def get(self, target: SyncTarget) -> OrgHarvest:
        """The organization's rows; an AccountSyncError keeps what was fetched before it."""
        key = target.platform_account_id
        if key not in self._done:
            harvest = self._done[key] = OrgHarvest()
            with self.context.account(target, "linkedin sync"):
                self._sync(target, harvest)
        return self._done[key]

    def _sync(self, target: SyncTarget, out: OrgHarvest) -> None:
        c = self.config
        api = LinkedInApi(c.base_url, c.api_version, self.context.credentials(target),
                          c.client_id, c.client_secret, c.token_url)
        org_id = target.platform_account_id
        body, now = api.get(settings.ORGANIZATION_PATH.format(org_id=org_id))
        out.tables[ORGANIZATIONS.name].append(records.organization_row(body, now))
        out.tables[ORGANIZATION_SNAPSHOTS.name].append(self._followers(api, org_id))
        gains, rejects = follower_gain_rows(api, org_id, now, self.context.warehouse_url,
                                            self.context.dataset)
        out.tables[ORGANIZATION_FOLLOWER_GAINS.name] += gains
        out.tables[REJECTS.name] += rejects
        new = new_posts(api, org_id, c.page_size, out.tables)
        since = now - timedelta(days=c.lookback_days)
        fetched = set(new)
        known = self.known(org_id, since)
        # ageing polls: an older post is re-read only when its tier's interval has passed
        window = [i for i, p in known.items() if i not in fetched and p["created_at"] >= since
                  and self.schedule.is_due(p["created_at"], p["observed_at"], now)]
        alive = new + recheck(api, org_id, window, c.batch_size, self.context, out.tables)
        for row in self._statistics(api, org_id, alive, out):
            # comments by need: only where the count moved since the last snapshot; the
            # snapshot is kept after its comments, so a failure in between re-reads both
            if needs_comments(row.get("comment_count"), known.get(row["post_id"])):
                self._comments(api, org_id, row["post_id"], out)
            out.tables[POST_SNAPSHOTS.name].append(row)

    def _followers(self, api: LinkedInApi, org_id: str) -> dict:
        urn = settings.ORG_URN.format(org_id=org_id)
        size, observed = api.get(settings.NETWORK_SIZE_PATH.format(org_urn=quote(urn, safe="")),
                                 {"edgeType": settings.FOLLOWER_EDGE})
        # gains of the last full UTC day (time-bound follower statistics)
        end = datetime(observed.year, observed.month, observed.day, tzinfo=UTC)
        start = end - timedelta(days=1)
        interval = (f"(timeRange:(start:{int(start.timestamp() * 1000)},"
                    f"end:{int(end.timestamp() * 1000)}),timeGranularityType:DAY)")
        gains, _ = api.get(settings.FOLLOWER_STATISTICS_PATH, {
            "q": "organizationalEntity", "organizationalEntity": urn, "timeIntervals": interval})
        day = next((e.get("followerGains") or {} for e in gains.get("elements") or []), {})
        return {"organization_id": org_id, "observed_at": observed,
                "follower_count": size.get("firstDegreeSize"),
                "organic_follower_gain": day.get("organicFollowerGain"),
                "paid_follower_gain": day.get("paidFollowerGain"), "gain_date": start.date()}

    def _statistics(self, api: LinkedInApi, org_id: str, urns: list[str],
                    out: OrgHarvest) -> list[dict]:
        """One snapshot row per tracked post, ``batch_size`` URNs per call, shares and
        ugcPosts asked separately."""
        snapshots = []
        urn = settings.ORG_URN.format(org_id=org_id)
        for kind, param in settings.URN_LIST_PARAMS.items():
            of_kind = [u for u in urns if u.startswith(f"urn:li:{kind}:")]
            for chunk in chunks(of_kind, self.config.batch_size):
                path = (f"{settings.SHARE_STATISTICS_PATH}?q=organizationalEntity"
                        f"&organizationalEntity={quote(urn, safe='')}&{param}={urn_list(chunk)}")
                body, observed = api.get(path)
                for element in body.get("elements") or []:
                    try:
                        row = records.post_snapshot_row(element, org_id, observed)
                    except ValueError as exc:
                        out.tables[REJECTS.name].append(reject(
                            POST_SNAPSHOTS.name, element, str(exc), observed, org_id))
                        continue
                    snapshots.append(row)
        return snapshots

    def _comments(self, api: LinkedInApi, org_id: str, post_urn: str, out: OrgHarvest) -> None:
        """Every comment of one post (LinkedIn has no batch call for comments)."""
        path = settings.COMMENTS_PATH.format(post_urn=quote(post_urn, safe=""))
        params = {"count": self.config.comments_page_size}
        try:
            for page in api.pages(path, params, comments_paginator()):
                observed = server_time(page.response)
                for element in page:
                    try:
                        out.tables[COMMENTS.name].append(
                            records.comment_row(element, post_urn, org_id, observed))
                    except ValueError as exc:
                        out.tables[REJECTS.name].append(reject(
                            COMMENTS.name, element, str(exc), observed, org_id))
        except NotFound:
            # deleted since it was listed: the next re-check flags it
            log.info("LinkedIn post %s vanished before its comments were read", post_urn)


def needs_comments(count: int | None, previous: dict | None) -> bool:
    """True when a post's comment list is read this cycle: it was never observed (once, even
    at a count of 0: the count is only a hint), its count is unknown, or it differs from the
    latest snapshot's."""
    if count is None or previous is None or previous.get("observed_at") is None:
        return True
    return count != previous.get("comment_count")
