"""Graph API endpoints, field lists, the per-version metric registry and raw table hints."""

from __future__ import annotations

from datetime import timedelta

DEFAULT_API_VERSION = "v24.0"
LOOKBACK_DAYS = 28
PAGE_SIZE = 50  # media / posts per listing page
DISCOVERY_PAGE_SIZE = 25  # business_discovery pages hold about 25 media
BATCH_SIZE = 50  # ids per multi-id read (Graph's maximum)
COMMENTS_PER_POST = 50  # comments embedded per post; more are paged from the comments edge
EXCHANGE_BEFORE = timedelta(days=7)  # exchange a long-lived token this long before it expires
# throttling shorter than this is waited out with back-off; longer fails the account for now
SHORT_THROTTLE_MINUTES = 1
MAX_ATTEMPTS = 10

# Meta throttles with HTTP 400/403 bodies, never a 429 (app, user, page, custom, BUC codes)
THROTTLE_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
TOKEN_EXPIRED_SUBCODE = 463
PASSWORD_CHANGED_SUBCODE = 460
MISSING_ALIASES_CODE = 803  # multi-id read naming ids that no longer exist

IG_ACCOUNT_FIELDS = "id,username,name,followers_count,follows_count,media_count"
IG_MEDIA_FIELDS = ("id,caption,media_type,media_product_type,permalink,timestamp,"
                   "like_count,comments_count")
IG_COMMENT_FIELDS = "id,text,timestamp,username,like_count"
FB_PAGE_FIELDS = "id,name,fan_count,followers_count"
FB_POST_FIELDS = "id,message,created_time,permalink_url,shares,reactions.summary(total_count)"
FB_COMMENT_FIELDS = "id,message,from,created_time"

# Metric registry. Defaults are what we load; REMOVED says from which major API version a
# metric is gone (0: on every version). A removed metric is dropped with a warning instead of
# failing the whole insights call, which is what Meta does with one bad name.
IG_MEDIA_METRICS = ("reach", "views", "saved", "shares", "total_interactions")
FB_POST_METRICS = ("post_media_view", "post_total_media_view_unique", "post_clicks",
                   "post_reactions_like_total", "post_reactions_love_total",
                   "post_reactions_wow_total", "post_reactions_haha_total",
                   "post_reactions_sorry_total", "post_reactions_anger_total")
REMOVED = {
    "instagram": {"impressions": 22, "video_views": 22, "plays": 22,
                  "carousel_album_impressions": 22},
    "facebook": {"post_impressions": 0, "post_impressions_unique": 0, "post_impressions_paid": 0,
                 "post_impressions_organic": 0, "post_engaged_users": 0, "page_fans": 0,
                 "page_impressions": 0, "page_engaged_users": 0},
}

TEXT, BIGINT, TS, BOOL, JSON = ("text", "bigint", "timestamp", "bool", "json")


def _cols(**types: str) -> dict:
    return {name: {"data_type": t, "nullable": name not in ("id",)} for name, t in types.items()}


TABLES: dict[str, dict] = {
    "instagram_accounts": {"primary_key": "id", "columns": _cols(
        id=TEXT, username=TEXT, name=TEXT, followers_count=BIGINT, follows_count=BIGINT,
        media_count=BIGINT, last_observed_at=TS)},
    "instagram_account_metric_snapshots": {"primary_key": ["account_id", "observed_at"],
                                           "columns": _cols(
        account_id=TEXT, observed_at=TS, followers_count=BIGINT, follows_count=BIGINT,
        media_count=BIGINT)},
    "instagram_media": {"primary_key": "id", "columns": _cols(
        id=TEXT, owner_id=TEXT, caption=TEXT, media_type=TEXT, media_product_type=TEXT,
        permalink=TEXT, created_at=TS, hashtags=JSON, is_deleted=BOOL, last_observed_at=TS)},
    "instagram_media_metric_snapshots": {"primary_key": ["media_id", "observed_at"],
                                         "columns": _cols(
        media_id=TEXT, owner_id=TEXT, observed_at=TS, like_count=BIGINT, comments_count=BIGINT,
        **{m: BIGINT for m in IG_MEDIA_METRICS})},
    "instagram_comments": {"primary_key": "id", "columns": _cols(
        id=TEXT, media_id=TEXT, owner_id=TEXT, text=TEXT, username=TEXT, like_count=BIGINT,
        created_at=TS, last_observed_at=TS)},
    "facebook_pages": {"primary_key": "id", "columns": _cols(
        id=TEXT, name=TEXT, fan_count=BIGINT, followers_count=BIGINT, last_observed_at=TS)},
    "facebook_page_metric_snapshots": {"primary_key": ["page_id", "observed_at"],
                                       "columns": _cols(
        page_id=TEXT, observed_at=TS, fan_count=BIGINT, followers_count=BIGINT)},
    "facebook_posts": {"primary_key": "id", "columns": _cols(
        id=TEXT, page_id=TEXT, message=TEXT, created_at=TS, permalink_url=TEXT, hashtags=JSON,
        is_deleted=BOOL, last_observed_at=TS)},
    "facebook_post_metric_snapshots": {"primary_key": ["post_id", "observed_at"],
                                       "columns": _cols(
        post_id=TEXT, page_id=TEXT, observed_at=TS, reactions=BIGINT, comments=BIGINT,
        shares=BIGINT, **{m: BIGINT for m in FB_POST_METRICS})},
    "facebook_comments": {"primary_key": "id", "columns": _cols(
        id=TEXT, post_id=TEXT, page_id=TEXT, message=TEXT, from_id=TEXT, from_name=TEXT,
        created_at=TS, last_observed_at=TS)},
}
