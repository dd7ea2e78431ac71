"""Graph insights metric registries and values.

The metric sets depend on the API version in the path: IG ``impressions``/``video_views``/
``plays`` are gone from v22.0, and FB ``*_impressions*`` / ``page_fans`` / ``*_engaged_users``
are gone on every version we serve. Asking for one of them fails the whole insights call.
"""

from __future__ import annotations

from platform_sandbox.meta.errors import GraphError
from platform_sandbox.world_objects import Post

IG_COMMON = {"reach", "saved", "likes", "comments", "shares", "total_interactions", "views"}
# each media type has its own allowed list: profile metrics exist for feed media only, watch
# time for reels only (Graph refuses the others with "must be one of the following values")
IG_FEED_ONLY = {"follows", "profile_visits", "profile_activity"}
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
    if metric in IG_FEED_ONLY:
        return media_type != "REELS"
    if metric in IG_REELS_ONLY:
        return media_type == "REELS"
    if metric in IG_REMOVED_V22:
        return version < 22 and media_type in IG_REMOVED_V22[metric]
    return False


def ig_allowed(media_type: str, version: int) -> list[str]:
    """The metrics an Instagram media of this type accepts on this version, sorted (the order
    of Graph's refusal message)."""
    known = IG_COMMON | IG_FEED_ONLY | IG_REELS_ONLY | set(IG_REMOVED_V22)
    return sorted(m for m in known if ig_valid(m, media_type, version))


def ig_value(metric: str, post: Post, reported: dict[str, int | None]) -> int | None:
    """An Instagram media metric from the world's reported (canonical) insight values; None
    for ``shares`` where Graph has none for the media."""
    if metric == "shares":
        return reported["shares"]
    r = {m: v or 0 for m, v in reported.items()}
    avg_watch_ms = 3_000 + post.raw_id % 9_000
    return {
        "reach": r["reach"], "saved": r["saves"], "likes": r["likes"],
        "comments": r["comments"], "views": r["views"],
        "total_interactions": r["likes"] + r["comments"] + r["shares"] + r["saves"],
        "follows": r["clicks"] // 20, "profile_visits": r["clicks"],
        "profile_activity": r["clicks"] // 4,
        "impressions": r["impressions"],
        "plays": r["views"], "video_views": r["views"], "ig_reels_avg_watch_time": avg_watch_ms,
        "ig_reels_video_view_total_time": r["views"] * avg_watch_ms,
    }[metric]


def fb_post_value(metric: str, reported: dict[str, int | None]) -> int:
    """A Facebook post metric from the world's reported values (reactions split by kind)."""
    r = {m: v or 0 for m, v in reported.items()}
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
