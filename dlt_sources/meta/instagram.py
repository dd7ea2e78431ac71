"""Instagram business accounts (owned: media listing + multi-id re-polls) and competitors
(business_discovery, which has no insights and no comments)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import dlt
from dlt.sources.helpers.rest_client.paginators import BasePaginator
from requests import Response

from dlt_sources._shared.ageing import DUE_FRACTION
from dlt_sources._shared.http import server_time
from dlt_sources._shared.warehouse import recent_post_ids
from dlt_sources.meta import media_insights, records, settings
from dlt_sources.meta.metrics import MIXED, media_kind
from dlt_sources.meta.polling import Run, learning_metrics, repoll
from dlt_sources.meta.records import parse_time
from dlt_sources.meta.tables import IG_MEDIA, IG_MEDIA_SNAPSHOTS
from socialpulse.accounts import SyncTarget

log = logging.getLogger(__name__)


def media_fields(run: Run, owner: str, kind: str = MIXED) -> str:
    """Media fields with insights (unless they are read per media) and the first comments
    embedded (one call per page); ``kind``: the media type all media read have, if known."""
    insights = "" if owner in run.per_media_insights else run.insights_field(
        "instagram", owner, kind)
    return (f"{settings.IG_MEDIA_FIELDS}{insights},"
            f"comments.limit({settings.COMMENTS_PER_POST}){{{settings.IG_COMMENT_FIELDS}}}")


def _media_rows(run: Run, creds, owner: str, item: dict, observed,
                kind: str = MIXED) -> Iterator[Any]:
    yield from media_insights.add_insights(run, creds, owner, item, observed)
    # the metrics this media's insights were asked with (per media: those of its own type)
    asked = media_kind(item) if owner in run.per_media_insights else kind
    yield from records.ig_media(item, owner, observed, run.metrics("instagram", owner, asked))
    paging = (item.get("comments") or {}).get("paging") or {}
    if paging.get("next") and item.get("id"):
        # more comments than were embedded: page the comments edge (its last page has no
        # paging key at all)
        for comments, _response in run.client.pages(paging["next"], creds, {}):
            yield from records.comment_page(comments, str(item["id"]), lambda c: records.ig_comment(
                c, str(item["id"]), owner, observed))


def sync_owned(run: Run, target: SyncTarget, state: dict) -> Iterator[Any]:
    """Account counts, new media newest-first down to the last one seen, then one snapshot per
    older media of the lookback window via multi-id reads."""
    creds = run.context.credentials(target)
    owner = target.platform_account_id
    body, observed = run.client.get(owner, creds, {"fields": settings.IG_ACCOUNT_FIELDS})
    yield from records.ig_account(body, observed)
    last_seen = parse_time(state.get(owner))
    seen: set[str] = set()
    newest = [last_seen]

    def listing() -> Iterator[Any]:
        # IG media has no `since`: stop at the first media at or before the last one seen
        params = {"fields": media_fields(run, owner), "limit": run.page_size}
        for items, response in run.client.pages(f"{owner}/media", creds, params):
            at = server_time(response)
            for item in items:
                created = parse_time(item.get("timestamp"))
                if created and last_seen and created <= last_seen:
                    return
                if created and item.get("id"):
                    seen.add(str(item["id"]))
                    newest[0] = max(filter(None, (newest[0], created)))
                yield from _media_rows(run, creds, owner, item, at)

    yield from media_insights.fallback(
        run, owner, lambda: learning_metrics(run, "instagram", owner, listing))
    if newest[0] is not None:
        state[owner] = newest[0].isoformat()
    # ageing polls: an older media is re-read only when its tier's interval has passed
    old = run.due_ids(IG_MEDIA, IG_MEDIA_SNAPSHOTS, owner, observed, seen)
    # re-read by media type: each type's reads ask for the metrics that type accepts
    for kind, ids in by_kind(run, old).items():
        def reread(kind: str = kind, ids: list[str] = ids) -> Iterator[Any]:
            return repoll(run, creds, "instagram", owner, IG_MEDIA, ids,
                          lambda: media_fields(run, owner, kind),
                          lambda item, at: _media_rows(run, creds, owner, item, at, kind), kind)

        yield from media_insights.fallback(run, owner, reread)


def by_kind(run: Run, ids: list[str]) -> dict[str, list[str]]:
    """Stored media ids grouped by their media kind (``metrics.media_kind``), in order."""
    kinds = {str(r["id"]): media_kind(r) for r in run.stored_rows(IG_MEDIA, ids)}
    groups: dict[str, list[str]] = {}
    for media_id in ids:
        groups.setdefault(kinds.get(media_id, MIXED), []).append(media_id)
    return groups


class BusinessDiscoveryPaginator(BasePaginator):
    """business_discovery pages have cursors but never a ``next`` link: the next page is asked
    for by rewriting the fields expression with ``media.after(<cursor>)``. Graph's ``after``
    is not a reliable end: paging also stops on a cursor seen before, an empty page, or after
    ``max_pages`` pages (logged)."""

    def __init__(self, fields_for: Any, max_pages: int, handle: str = ""):
        super().__init__()
        self._fields_for, self._after = fields_for, None
        self._max, self._handle, self._pages = max_pages, handle, 0
        self._seen: set[str | None] = set()

    def update_state(self, response: Response, data: list[Any] | None = None) -> None:
        media = (response.json().get("business_discovery") or {}).get("media") or {}
        after = ((media.get("paging") or {}).get("cursors") or {}).get("after")
        self._pages += 1
        self._has_next_page = bool(after) and bool(media.get("data")) and (
            after not in self._seen)
        if self._has_next_page and self._pages >= self._max:
            log.warning("business_discovery of %s: stopped after %d pages (discovery_max_pages)",
                        self._handle, self._pages)
            self._has_next_page = False
        self._seen.add(after)
        self._after = after

    def update_request(self, request: Any) -> None:
        request.params["fields"] = self._fields_for(self._after)


def _discovery_fields(handle: str, after: str | None) -> str:
    media = f"media.limit({settings.DISCOVERY_PAGE_SIZE})"
    if after:
        media += f".after({after})"
    return (f"business_discovery.username({handle}){{{settings.IG_ACCOUNT_FIELDS},"
            f"{media}{{{settings.IG_MEDIA_FIELDS}}}}}")


def sync_competitor(run: Run, target: SyncTarget, state: dict) -> Iterator[Any]:
    """A competitor through the owned account's business_discovery: account counts and the
    media of the lookback window (all media on the first sync) with like/comment counts."""
    creds = run.context.credentials(target)
    me = target.credential_platform_account_id
    # list_sync_targets only yields targets that have an owned account's token
    assert me is not None
    handle = target.handle
    first_sync = target.platform_account_id not in state
    # ageing polls: the window in full once per slowest interval, else only its hot part
    # (business_discovery lists newest first and cannot read media by id)
    full_at = dlt.current.resource_state("instagram").setdefault("discovery_full_at", {})
    last_full = full_at.get(target.platform_account_id)
    listed: set[str] = set()
    cutoff = None
    observed = None
    for items, response in run.client.pages(
            me, creds, {"fields": _discovery_fields(handle, None)},
            selector="business_discovery.media.data",
            paginator=BusinessDiscoveryPaginator(lambda after: _discovery_fields(handle, after),
                                                 run.discovery_max_pages, handle)):
        at = server_time(response)
        if observed is None:
            observed, cutoff = at, at - run.lookback
            if last_full and at - datetime.fromisoformat(last_full) < (
                    run.schedule.slowest * DUE_FRACTION):
                cutoff = at - min(run.lookback, run.schedule.hot_age())
            else:
                full_at[target.platform_account_id] = at.isoformat()
            account = dict(response.json().get("business_discovery") or {})
            account.pop("media", None)
            yield from records.ig_account(account, at)
        assert cutoff is not None  # set with ``observed`` on the first page
        done = False
        for item in items:
            created = parse_time(item.get("timestamp"))
            if created and not first_sync and created < cutoff:
                done = True
                break
            if item.get("id"):
                listed.add(str(item["id"]))
            yield from records.ig_media(item, target.platform_account_id, at, [])
        if done:
            break
    state[target.platform_account_id] = observed.isoformat() if observed else None
    if observed is not None:
        # business_discovery lists every live media down to the cutoff: missing ones are gone
        assert cutoff is not None
        stored = recent_post_ids(run.context.warehouse_url, run.context.dataset, IG_MEDIA,
                                 target.platform_account_id, cutoff)
        gone = [i for i in stored if i not in listed]
        for row in run.stored_rows(IG_MEDIA, gone):
            yield records.deleted(IG_MEDIA, row, observed)
