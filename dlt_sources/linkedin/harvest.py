"""One organization's sync: new posts by cursor, batched re-polls of the lookback window, then
statistics, follower counts and comments. Rows are collected per table so that each dlt
resource (one per table) can yield its share, whichever resource runs first."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import dlt
import psycopg
from psycopg import sql
from psycopg.rows import dict_row

from dlt_sources._shared.context import SyncContext
from dlt_sources._shared.http import server_time
from dlt_sources._shared.quarantine import reject
from dlt_sources._shared.warehouse import recent_post_ids
from dlt_sources.linkedin import rows, settings
from dlt_sources.linkedin.helpers import (
    LinkedInApi,
    LinksPaginator,
    NotFound,
    comments_paginator,
    urn_list,
)
from socialpulse.accounts import SyncTarget

log = logging.getLogger(__name__)
STORED_POST_COLUMNS = ("id", "author_id", "commentary", "text", "hashtags", "created_at",
                       "published_at", "last_modified_at", "lifecycle_state", "visibility",
                       "content_type", "is_edited", "last_observed_at")


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


@dataclass
class OrgHarvest:
    """Rows fetched for one organization, by raw table name."""

    tables: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))


def _chunks(items: list[str], size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]


class Harvester:
    """Fetches each organization once per run (memoised), inside its failure boundary."""

    def __init__(self, config: SourceConfig, context: SyncContext):
        self.config, self.context = config, context
        self._done: dict[str, OrgHarvest] = {}

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
        out.tables["organizations"].append(rows.organization_row(body, now))
        out.tables["organization_metric_snapshots"].append(self._followers(api, org_id))
        new = self._new_posts(api, org_id, out)
        since = now - timedelta(days=c.lookback_days)
        fetched = set(new)
        window = [i for i in recent_post_ids(
            self.context.warehouse_url, self.context.dataset, "posts", "id", "author_id",
            "created_at", org_id, since) if i not in fetched]
        alive = new + self._recheck(api, org_id, window, out)
        self._statistics(api, org_id, alive, out)
        self._comments(api, org_id, alive, out)

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

    def _new_posts(self, api: LinkedInApi, org_id: str, out: OrgHarvest) -> list[str]:
        """Posts newer than the cursor (newest first; stop at the first one already seen)."""
        cursors = dlt.current.source_state().setdefault("last_created_at_ms", {})
        cursor = cursors.get(org_id)
        params = {"q": "author", "author": settings.ORG_URN.format(org_id=org_id),
                  "sortBy": "CREATED", "count": self.config.page_size}
        new: list[str] = []
        newest = cursor
        for page in api.pages(settings.POSTS_PATH, params, LinksPaginator()):
            observed = server_time(page.response)
            stop = False
            for element in page:
                created = element.get("createdAt")
                if cursor is not None and isinstance(created, int) and created <= cursor:
                    stop = True  # already seen (a broken record there was quarantined then)
                    break
                try:
                    row = rows.post_row(element, org_id, observed)
                except ValueError as exc:
                    out.tables["rejects"].append(reject("posts", element, str(exc), observed,
                                                        org_id))
                    continue
                created_ms = int(row["created_at"].timestamp() * 1000)
                out.tables["posts"].append(row)
                new.append(row["id"])
                newest = max(newest or 0, created_ms)
            if stop:
                break
        if newest is not None:
            cursors[org_id] = newest
        return new

    def _recheck(self, api: LinkedInApi, org_id: str, urns: list[str],
                 out: OrgHarvest) -> list[str]:
        """BATCH_GET the window's posts: refresh the live ones, flag the 404s as deleted."""
        alive, gone = [], []
        for chunk in _chunks(urns, self.config.batch_size):
            body, observed = api.get(f"{settings.POSTS_PATH}?ids={urn_list(chunk)}")
            for urn, element in (body.get("results") or {}).items():
                try:
                    out.tables["posts"].append(rows.post_row(element, org_id, observed))
                    alive.append(urn)
                except ValueError as exc:
                    out.tables["rejects"].append(reject("posts", element, str(exc), observed,
                                                        org_id))
            gone += [urn for urn, err in (body.get("errors") or {}).items()
                     if (err or {}).get("status") == 404]
        for row in self._stored_posts(gone):
            out.tables["posts"].append({**row, "is_deleted": True})
        return alive

    def _stored_posts(self, urns: list[str]) -> list[dict]:
        """The loaded rows of posts now known deleted (a merge replaces whole rows)."""
        if not urns:
            return []
        query = sql.SQL("select {cols} from {tbl} where id = any(%s)").format(
            cols=sql.SQL(", ").join(map(sql.Identifier, STORED_POST_COLUMNS)),
            tbl=sql.Identifier(self.context.dataset, "posts"))
        with psycopg.connect(self.context.warehouse_url, row_factory=dict_row) as conn:
            return conn.execute(query, (urns,)).fetchall()

    def _statistics(self, api: LinkedInApi, org_id: str, urns: list[str],
                    out: OrgHarvest) -> None:
        """One snapshot per tracked post, ``batch_size`` URNs per call, shares and ugcPosts
        asked separately."""
        urn = settings.ORG_URN.format(org_id=org_id)
        for kind, param in settings.URN_LIST_PARAMS.items():
            of_kind = [u for u in urns if u.startswith(f"urn:li:{kind}:")]
            for chunk in _chunks(of_kind, self.config.batch_size):
                path = (f"{settings.SHARE_STATISTICS_PATH}?q=organizationalEntity"
                        f"&organizationalEntity={quote(urn, safe='')}&{param}={urn_list(chunk)}")
                body, observed = api.get(path)
                for element in body.get("elements") or []:
                    try:
                        row = rows.post_snapshot_row(element, org_id, observed)
                    except ValueError as exc:
                        row = reject("post_metric_snapshots", element, str(exc), observed,
                                     org_id)
                        out.tables["rejects"].append(row)
                        continue
                    out.tables["post_metric_snapshots"].append(row)

    def _comments(self, api: LinkedInApi, org_id: str, urns: list[str],
                  out: OrgHarvest) -> None:
        """Every comment of the tracked posts (LinkedIn has no batch call for comments)."""
        for post_urn in urns:
            path = settings.COMMENTS_PATH.format(post_urn=quote(post_urn, safe=""))
            params = {"count": self.config.comments_page_size}
            try:
                for page in api.pages(path, params, comments_paginator()):
                    observed = server_time(page.response)
                    for element in page:
                        try:
                            out.tables["comments"].append(
                                rows.comment_row(element, post_urn, org_id, observed))
                        except ValueError as exc:
                            out.tables["rejects"].append(reject(
                                "comments", element, str(exc), observed, org_id))
            except NotFound:
                # deleted since it was listed: the next re-check flags it
                log.info("LinkedIn post %s vanished before its comments were read", post_urn)
