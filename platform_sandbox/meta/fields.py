"""Graph field expressions (``a,b.limit(5){c,d},insights.metric(x,y)``) and metric registries.

The metric sets depend on the API version in the path: IG ``impressions``/``video_views``/
``plays`` are gone from v22.0, and FB ``*_impressions*`` / ``page_fans`` / ``*_engaged_users``
are gone on every version we serve. Asking for one of them fails the whole insights call.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from platform_sandbox.meta_errors import GraphError
from platform_sandbox.world import Post, World

if TYPE_CHECKING:
    from platform_sandbox.state import SandboxState


@dataclass
class Field:
    """One requested field with its modifiers (``.limit(5)``) and sub-fields (``{...}``)."""

    name: str
    mods: dict[str, str] = field(default_factory=dict)
    children: list[Field] | None = None


def parse_fields(text: str | None) -> list[Field]:
    """Parse a Graph ``fields`` expression; raises GraphError(100) on a syntax error."""
    if not text:
        return []
    out, pos = _parse_list(text, 0)
    if pos != len(text):
        raise GraphError(100, f"Syntax error \"Expected end of string instead of \"{text[pos]}\"."
                         f"\" at character {pos}: {text}", subcode=2500)
    return out


def _parse_list(text: str, pos: int) -> tuple[list[Field], int]:
    out: list[Field] = []
    while pos < len(text) and text[pos] != "}":
        f, pos = _parse_field(text, pos)
        out.append(f)
        if pos < len(text) and text[pos] == ",":
            pos += 1
    return out, pos


def _parse_field(text: str, pos: int) -> tuple[Field, int]:
    start = pos
    while pos < len(text) and text[pos] not in ",.{}()":
        pos += 1
    f = Field(text[start:pos].strip())
    while pos < len(text) and text[pos] == ".":
        mstart = pos + 1
        paren = text.index("(", mstart) if "(" in text[mstart:] else -1
        if paren < 0:
            raise GraphError(100, f"Syntax error at character {pos}: {text}", subcode=2500)
        depth, end = 0, paren
        while end < len(text):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            if depth == 0:
                break
            end += 1
        f.mods[text[mstart:paren]] = text[paren + 1:end]
        pos = end + 1
    if pos < len(text) and text[pos] == "{":
        f.children, pos = _parse_list(text, pos + 1)
        pos += 1  # the closing brace
    return f, pos


def spell(fields: list[Field] | None) -> str:
    """The ``fields`` expression back as text (paging links repeat the request's fields)."""
    out = []
    for f in fields or []:
        mods = "".join(f".{k}({v})" for k, v in f.mods.items())
        kids = "{" + spell(f.children) + "}" if f.children else ""
        out.append(f"{f.name}{mods}{kids}")
    return ",".join(out)


def version_number(version: str) -> int:
    """``24.0`` -> 24."""
    return int(version.split(".")[0])


IG_COMMON = {"reach", "saved", "likes", "comments", "shares", "total_interactions", "views",
             "follows", "profile_visits"}
IG_REELS_ONLY = {"ig_reels_avg_watch_time", "ig_reels_video_view_total_time"}
IG_REMOVED_V22 = {"impressions": {"IMAGE", "CAROUSEL_ALBUM"}, "video_views": {"REELS"},
                  "plays": {"REELS"}}
FB_REACTIONS = {"like": 0.70, "love": 0.15, "haha": 0.05, "wow": 0.04, "sorry": 0.03,
                "anger": 0.03}
FB_POST_METRICS = {"post_media_view", "post_total_media_view_unique", "post_clicks",
                   "post_video_views"} | {f"post_reactions_{r}_total" for r in FB_REACTIONS}
FB_PAGE_METRICS = {"page_follows", "page_media_view", "page_total_media_view_unique",
                   "page_post_engagements", "page_daily_follows", "page_daily_follows_unique",
                   "page_views_total"}


def ig_valid(metric: str, media_type: str, version: int) -> bool:
    """Whether an Instagram media metric exists for this media type on this API version."""
    if metric in IG_COMMON:
        return True
    if metric in IG_REELS_ONLY:
        return media_type == "REELS"
    if metric in IG_REMOVED_V22:
        return version < 22 and media_type in IG_REMOVED_V22[metric]
    return False


def ig_value(metric: str, post: Post, r: dict[str, int]) -> int:
    """An Instagram media metric from the world's reported (canonical) insight values."""
    avg_watch_ms = 3_000 + post.raw_id % 9_000
    return {
        "reach": r["reach"], "saved": r["saves"], "likes": r["likes"],
        "comments": r["comments"], "shares": r["shares"], "views": r["views"],
        "total_interactions": r["likes"] + r["comments"] + r["shares"] + r["saves"],
        "follows": r["clicks"] // 20, "profile_visits": r["clicks"],
        "impressions": r["impressions"],
        "plays": r["views"], "video_views": r["views"], "ig_reels_avg_watch_time": avg_watch_ms,
        "ig_reels_video_view_total_time": r["views"] * avg_watch_ms,
    }[metric]


def fb_post_value(metric: str, r: dict[str, int]) -> int:
    """A Facebook post metric from the world's reported values (reactions split by kind)."""
    if metric.startswith("post_reactions_"):
        return int(r["likes"] * FB_REACTIONS[metric.split("_")[2]])
    return {"post_media_view": r["impressions"], "post_total_media_view_unique": r["reach"],
            "post_clicks": r["clicks"], "post_video_views": r["views"]}[metric]


def insight_item(object_id: str, metric: str, value: int, period: str = "lifetime") -> dict:
    """One element of an insights ``data`` list."""
    title = metric.replace("_", " ").capitalize()
    return {"name": metric, "period": period, "values": [{"value": value}], "title": title,
            "description": f"The {title.lower()} of this object.",
            "id": f"{object_id}/insights/{metric}/{period}"}


def metric_list(text: str | None) -> list[str]:
    """The metrics of a ``metric=`` parameter or ``.metric(...)`` modifier."""
    metrics = [m.strip() for m in (text or "").split(",") if m.strip()]
    if not metrics:
        raise GraphError(100, "(#100) The parameter 'metric' is required")
    return metrics


@dataclass
class Ctx:
    """One Graph request: simulated time, API version, the caller, and how to build links."""

    state: SandboxState
    now: datetime
    version: int
    subject: str
    base: str  # scheme://host/vNN.0
    query: dict
    token: str = field(repr=False, default="")

    @property
    def world(self) -> World:
        return self.state.world

    def link(self, path: str, **params) -> str:
        """An absolute paging link; like Graph's, it carries the access token."""
        query = {k: v for k, v in {**params, "access_token": self.token}.items() if v is not None}
        return f"{self.base}/{path}?{urlencode(query)}"


def cursor(kind: str, n: int) -> str:
    """An opaque, base64-looking paging cursor."""
    return base64.urlsafe_b64encode(f"{kind}:{n}".encode()).decode().rstrip("=")


def uncursor(value: str | None, kind: str) -> int | None:
    """The position inside a cursor; GraphError on a foreign or broken one."""
    if not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        got, n = raw.split(":")
        if got == kind:
            return int(n)
    except ValueError:
        pass
    raise GraphError(100, "(#100) The after/before cursor is invalid")


def graph_time(t) -> str:
    """Graph's timestamp format: seconds and a colon-less offset (``+0000``)."""
    return t.strftime("%Y-%m-%dT%H:%M:%S+0000")


def limit_of(value, default: int = 25, maximum: int = 100) -> int:
    """A ``limit`` parameter, clamped like Graph does."""
    try:
        return max(1, min(int(value), maximum)) if value not in (None, "") else default
    except ValueError as exc:
        raise GraphError(100, "(#100) Param limit must be a number") from exc
