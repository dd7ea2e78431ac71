"""LinkedIn API records -> raw table rows (ids as text, epoch ms -> UTC timestamps, little text
resolved). Mappers raise ValueError with the reason when a record is malformed."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from dlt_sources.linkedin import settings

# little text: {hashtag|\#|tag}, @[Name](urn:li:...) mentions, and backslash-escaped characters
_LITTLE = re.compile(r"\{hashtag\|\\#\|(?P<tag>[^}]*)\}"
                     r"|@\[(?P<name>(?:\\.|[^\]\\])*)\]\((?P<urn>[^)]*)\)"
                     r"|\\(?P<esc>.)", re.DOTALL)
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)


def resolve_little_text(commentary: str) -> tuple[str, list[str]]:
    """Plain text and lower-case hashtags (no '#', first-seen order) of a little-text string."""
    tags: list[str] = []

    def sub(m: re.Match) -> str:
        if m.group("tag") is not None:
            tag = m.group("tag")
            if tag.lower() not in tags:
                tags.append(tag.lower())
            return "#" + tag
        if m.group("name") is not None:
            return _UNESCAPE.sub(r"\1", m.group("name"))
        return m.group("esc")

    return _LITTLE.sub(sub, commentary), tags


def epoch_ms(value: Any, field: str) -> datetime:
    """UTC datetime of an epoch-millisecond field; ValueError when it is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{field} is not epoch milliseconds: {value!r}")
    return datetime.fromtimestamp(value / 1000, UTC)


def org_id_of(value: Any) -> str:
    """Organization id as text, from a JSON number or an ``urn:li:organization:N`` URN."""
    text = str(value)
    return text.rsplit(":", 1)[-1] if text.startswith("urn:li:organization:") else text


def post_row(element: dict, org_id: str, observed_at: datetime) -> dict:
    """A ``posts`` row from a post object."""
    urn = element.get("id")
    if not isinstance(urn, str) or not urn.startswith(("urn:li:share:", "urn:li:ugcPost:")):
        raise ValueError(f"post without a share/ugcPost URN id: {urn!r}")
    created = epoch_ms(element.get("createdAt"), "createdAt")
    commentary = element.get("commentary") or ""
    text, hashtags = resolve_little_text(commentary)
    published = element.get("publishedAt")
    modified = element.get("lastModifiedAt")
    content = element.get("content") or {}
    return {
        "id": urn,
        "author_id": org_id_of(element.get("author") or org_id),
        "commentary": commentary,
        "text": text,
        "hashtags": hashtags,
        "created_at": created,
        "published_at": epoch_ms(published, "publishedAt") if published is not None else None,
        "last_modified_at": epoch_ms(modified, "lastModifiedAt") if modified is not None
        else None,
        "lifecycle_state": element.get("lifecycleState"),
        "visibility": element.get("visibility"),
        "content_type": next(iter(content), None),
        "is_edited": bool((element.get("lifecycleStateInfo") or {}).get("isEditedByAuthor")),
        "is_deleted": False,
        "last_observed_at": observed_at,
    }


def post_snapshot_row(element: dict, org_id: str, observed_at: datetime) -> dict:
    """A ``post_metric_snapshots`` row from a per-post statistics element."""
    urn = element.get("share") or element.get("ugcPost")
    if not isinstance(urn, str):
        raise ValueError("statistics element names no share or ugcPost")
    stats = element.get("totalShareStatistics") or {}
    row: dict[str, Any] = {"post_id": urn, "organization_id": org_id,
                           "observed_at": observed_at}
    for key, column in settings.SHARE_METRICS.items():
        value = stats.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ValueError(f"{key} is not a number: {value!r}")
        row[column] = value
    return row


def comment_row(element: dict, post_urn: str, org_id: str, observed_at: datetime) -> dict:
    """A ``comments`` row; ``post_id`` is the share/ugcPost URN the comments were listed for,
    because the comment's own ``object`` is the post's activity URN."""
    urn = element.get("commentUrn") or element.get("$URN")
    if not isinstance(urn, str):
        raise ValueError("comment without a commentUrn")
    created = element.get("created") or {}
    modified = element.get("lastModified") or {}
    return {
        "id": urn,
        "comment_id": str(element.get("id")) if element.get("id") is not None else None,
        "post_id": post_urn,
        "organization_id": org_id,
        "object_urn": element.get("object"),
        "actor": element.get("actor") or created.get("actor"),
        "text": (element.get("message") or {}).get("text"),
        "like_count": _comment_likes(element.get("likesSummary")),
        "created_at": epoch_ms(created.get("time"), "created.time"),
        "last_modified_at": epoch_ms(modified["time"], "lastModified.time")
        if modified.get("time") is not None else None,
        "last_observed_at": observed_at,
    }


def _comment_likes(summary: Any) -> int | None:
    """``likesSummary.aggregatedTotalLikes`` (older answers: ``totalLikes``)."""
    if not isinstance(summary, dict):
        return None
    value = summary.get("aggregatedTotalLikes", summary.get("totalLikes"))
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _localized_name(name: Any) -> str | None:
    """The name in the organisation's preferredLocale, else in any locale it has."""
    if not isinstance(name, dict) or not isinstance(name.get("localized"), dict):
        return None
    localized, locale = name["localized"], name.get("preferredLocale") or {}
    key = f"{locale.get('language')}_{locale.get('country')}"
    return localized.get(key) or next(iter(localized.values()), None)


def organization_row(body: dict, observed_at: datetime) -> dict:
    """An ``organizations`` row from the organization lookup (its ``id`` is a JSON number;
    ``localizedName`` is missing when the organisation's locale is not the caller's)."""
    return {
        "id": org_id_of(body["id"]),
        "vanity_name": body.get("vanityName"),
        "name": body.get("localizedName") or _localized_name(body.get("name")),
        "primary_organization_type": body.get("primaryOrganizationType"),
        "last_observed_at": observed_at,
    }
