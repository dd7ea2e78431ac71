"""Graph API endpoints, field lists and the per-version metric registry (the raw tables these
metrics become columns of are in ``tables.py``)."""

from __future__ import annotations

from datetime import timedelta

DEFAULT_API_VERSION = "v24.0"
LOOKBACK_DAYS = 28
IG_FOLLOWER_HISTORY_DAYS = 30  # Graph keeps an IG user's follower_count for 30 days
FB_FOLLOWER_HISTORY_DAYS = 90  # page insights: at most 90 days per since/until call
FOLLOWER_HISTORY_REREAD_DAYS = 2  # recent days' values are re-read (Graph corrects them)
PAGE_SIZE = 50  # media / posts per listing page
DISCOVERY_PAGE_SIZE = 25  # business_discovery pages hold about 25 media
DISCOVERY_MAX_PAGES = 40  # business_discovery pages per competitor and run (1,000 media)
BATCH_SIZE = 50  # ids per multi-id read (Graph's maximum)
COMMENTS_PER_POST = 50  # comments embedded per post; more are paged from the comments edge
EXCHANGE_BEFORE = timedelta(days=7)  # exchange a long-lived token this long before it expires
# throttling shorter than this is waited out with back-off; longer fails the account for now
SHORT_THROTTLE_MINUTES = 1
# usage headers: above this percentage of a budget calls are paced to this many a minute
USAGE_PACE_AT = 80
USAGE_PACE_PER_MINUTE = 60
MAX_ATTEMPTS = 10

# Meta throttles with HTTP 400/403 bodies, never a 429 (app, user, page, custom, BUC codes)
THROTTLE_CODES = frozenset({4, 17, 32, 613, *range(80000, 80015)})
APP_LIMIT_CODE = 4  # the app's own limit: it holds for every account of the run
TOKEN_EXPIRED_SUBCODE = 463
PASSWORD_CHANGED_SUBCODE = 460
PERMISSION_CODE = 10  # e.g. insights of one media the app may not read
PRECONVERSION_SUBCODE = 2108006  # (#100) media posted before business account conversion
MISSING_ALIASES_CODE = 803  # multi-id read naming ids that no longer exist
MISSING_OBJECT_SUBCODE = 33  # (#100) "Object with ID '...' does not exist"

IG_ACCOUNT_FIELDS = "id,username,name,followers_count,follows_count,media_count"
IG_MEDIA_FIELDS = ("id,caption,media_type,media_product_type,permalink,timestamp,"
                   "like_count,comments_count")
IG_COMMENT_FIELDS = "id,text,timestamp,username,like_count"
FB_PAGE_FIELDS = "id,name,fan_count,followers_count"
FB_POST_FIELDS = "id,message,created_time,permalink_url,shares,reactions.summary(total_count)"
FB_COMMENT_FIELDS = "id,message,from,created_time,permalink_url"

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
