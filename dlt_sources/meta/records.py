"""Graph objects -> raw rows (or quarantined rejects when a record is malformed)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from dlt_sources._shared.contract import Table, route
from dlt_sources._shared.http import redact
from dlt_sources._shared.quarantine import REJECTS_TABLE, reject
from dlt_sources.meta import settings
from dlt_sources.meta.tables import (
    FB_COMMENTS,
    FB_PAGE_SNAPSHOTS,
    FB_PAGES,
    FB_POST_SNAPSHOTS,
    FB_POSTS,
    IG_ACCOUNT_SNAPSHOTS,
    IG_ACCOUNTS,
    IG_COMMENTS,
    IG_MEDIA,
    IG_MEDIA_SNAPSHOTS,
)

log = logging.getLogger(__name__)


def parse_time(value: Any) -> datetime | None:
    """Graph timestamps (``2026-11-01T12:00:00+0000``) as UTC datetimes; None if not a date."""
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value).astimezone(UTC)
    except ValueError:
        return None


def hashtags(text: str | None) -> list[str]:
    """Lower-case hashtags of a caption/message, without '#', first occurrence order."""
    seen: list[str] = []
    for tag in re.findall(r"#(\w+)", text or ""):
        if tag.lower() not in seen:
            seen.append(tag.lower())
    return seen


def _quarantine(resource: str, item: dict, problem: str, observed: datetime,
                account_id: str) -> Any:
    # embedded paging links carry the access token: never store one in the rejects table
    return reject(resource, json.loads(redact(json.dumps(item))), problem, observed, account_id)


def _problem(item: dict, time_key: str, counts: dict[str, Any]) -> str | None:
    """Why a record cannot be loaded, or None. Omitted counts are fine (Graph omits empties)."""
    if not item.get("id"):
        return "missing id"
    if parse_time(item.get(time_key)) is None:
        return f"{time_key} is not a date: {item.get(time_key)!r}"
    for name, value in counts.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            return f"{name} is not a number: {value!r}"
    return None


def insights(item: dict) -> dict[str, Any]:
    """``insights.data[{name, values[{value}]}]`` flattened to {metric: value}; an empty or
    missing block (first hour, no data yet) gives {} so the metrics stay null, not 0."""
    out = {}
    for entry in (item.get("insights") or {}).get("data") or []:
        values = entry.get("values") or []
        value = values[-1].get("value") if values else entry.get("total_value", {}).get("value")
        if isinstance(value, int) and not isinstance(value, bool):
            out[entry.get("name")] = value
    return out


def ig_account(body: dict, observed: datetime) -> Iterator[Any]:
    """instagram_accounts + one instagram_account_metric_snapshots row."""
    counts = {k: body.get(k) for k in ("followers_count", "follows_count", "media_count")}
    yield route(IG_ACCOUNTS, {"id": str(body["id"]), "username": body.get("username"),
                                "name": body.get("name"), **counts,
                                "last_observed_at": observed})
    yield route(IG_ACCOUNT_SNAPSHOTS,
                {"account_id": str(body["id"]), "observed_at": observed, **counts})


def ig_media(item: dict, owner_id: str, observed: datetime, metrics: list[str]) -> Iterator[Any]:
    """instagram_media + snapshot + embedded comments for one media; a reject when broken."""
    counts = {"like_count": item.get("like_count"), "comments_count": item.get("comments_count")}
    problem = _problem(item, "timestamp", counts)
    if problem:
        yield _quarantine("instagram_media", item, problem, observed, owner_id)
        return
    media_id = str(item["id"])
    yield route(IG_MEDIA, {
        "id": media_id, "owner_id": owner_id, "caption": item.get("caption"),
        "media_type": item.get("media_type"), "media_product_type": item.get("media_product_type"),
        "permalink": item.get("permalink"), "created_at": parse_time(item["timestamp"]),
        "hashtags": hashtags(item.get("caption")), "is_deleted": False,
        "last_observed_at": observed})
    values = insights(item)
    yield route(IG_MEDIA_SNAPSHOTS, {
        "media_id": media_id, "owner_id": owner_id, "observed_at": observed, **counts,
        **{m: None for m in settings.IG_MEDIA_METRICS}, **{m: values.get(m) for m in metrics}})
    yield from comment_page((item.get("comments") or {}).get("data") or [], media_id,
                            lambda c: ig_comment(c, media_id, owner_id, observed))


def ig_comment(c: dict, media_id: str, owner_id: str, observed: datetime) -> Iterator[Any]:
    problem = _problem(c, "timestamp", {"like_count": c.get("like_count")})
    if problem:
        yield _quarantine("instagram_comments", c, problem, observed, owner_id)
        return
    yield route(IG_COMMENTS, {
        "id": str(c["id"]), "media_id": media_id, "owner_id": owner_id, "text": c.get("text"),
        "username": c.get("username"), "like_count": c.get("like_count"),
        "created_at": parse_time(c["timestamp"]), "last_observed_at": observed})


def fb_page(body: dict, observed: datetime) -> Iterator[Any]:
    """facebook_pages + one facebook_page_metric_snapshots row."""
    counts = {"fan_count": body.get("fan_count"), "followers_count": body.get("followers_count")}
    yield route(FB_PAGES, {"id": str(body["id"]), "name": body.get("name"), **counts,
                             "last_observed_at": observed})
    yield route(FB_PAGE_SNAPSHOTS,
                {"page_id": str(body["id"]), "observed_at": observed, **counts})


def _summary(item: dict, edge: str) -> Any:
    return ((item.get(edge) or {}).get("summary") or {}).get("total_count")


def fb_post(item: dict, page_id: str, observed: datetime, metrics: list[str]) -> Iterator[Any]:
    """facebook_posts + snapshot + embedded comments. Graph omits the ``shares`` object on a
    post nobody shared; the raw row keeps what was received (null), and staging decides what an
    omitted count means (DECISIONS.md, metric mapping)."""
    counts = {"reactions": _summary(item, "reactions"), "comments": _summary(item, "comments"),
              "shares": (item.get("shares") or {}).get("count")}
    problem = _problem(item, "created_time", counts)
    if problem:
        yield _quarantine("facebook_posts", item, problem, observed, page_id)
        return
    post_id = str(item["id"])
    yield route(FB_POSTS, {
        "id": post_id, "page_id": page_id, "message": item.get("message"),
        "created_at": parse_time(item["created_time"]), "permalink_url": item.get("permalink_url"),
        "hashtags": hashtags(item.get("message")), "is_deleted": False,
        "last_observed_at": observed})
    values = insights(item)
    yield route(FB_POST_SNAPSHOTS, {
        "post_id": post_id, "page_id": page_id, "observed_at": observed, **counts,
        **{m: None for m in settings.FB_POST_METRICS}, **{m: values.get(m) for m in metrics}})
    yield from comment_page((item.get("comments") or {}).get("data") or [], post_id,
                            lambda c: fb_comment(c, post_id, page_id, observed))


def comment_page(comments: list[dict], post_id: str,
                 to_rows: Callable[[dict], Iterator[Any]]) -> Iterator[Any]:
    """The rows of one page of comments. A page whose comments are all rejected is a shape
    change rather than bad records: it is logged, not only quarantined row by row."""
    rejected = 0
    for comment in comments:
        rows = list(to_rows(comment))
        rejected += any(getattr(getattr(r, "meta", None), "table_name", "") == REJECTS_TABLE
                        for r in rows)
        yield from rows
    if comments and rejected == len(comments):
        log.warning("every comment of post %s on a page was rejected (%d comments): see the "
                    "rejects table", post_id, rejected)


def fb_comment_id(c: dict, post_id: str) -> str | None:
    """A comment's id. Recorded pages omit ``id`` (although requested); its ``permalink_url``
    then holds ``comment_id=<n>``, the part after the post's own id (``<post>_<n>``)."""
    if c.get("id"):
        return str(c["id"])
    match = re.search(r"[?&]comment_id=(\d+)", str(c.get("permalink_url") or ""))
    return f"{post_id.rsplit('_', 1)[-1]}_{match.group(1)}" if match else None


def fb_comment(c: dict, post_id: str, page_id: str, observed: datetime) -> Iterator[Any]:
    if not c.get("id") and fb_comment_id(c, post_id):
        c = {**c, "id": fb_comment_id(c, post_id)}
    problem = _problem(c, "created_time", {})
    if problem:
        yield _quarantine("facebook_comments", c, problem, observed, page_id)
        return
    author = c.get("from") or {}
    yield route(FB_COMMENTS, {
        "id": str(c["id"]), "post_id": post_id, "page_id": page_id, "message": c.get("message"),
        "from_id": str(author["id"]) if author.get("id") else None,
        "from_name": author.get("name"), "created_at": parse_time(c["created_time"]),
        "last_observed_at": observed})


def deleted(table: Table, stored: dict, observed: datetime) -> Any:
    """A stored post row again, now flagged deleted (a batch read proved it is gone)."""
    return route(table, {**stored, "is_deleted": True, "last_observed_at": observed})
