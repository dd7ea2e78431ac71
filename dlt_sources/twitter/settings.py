"""X API v2 endpoints, field lists, limits and the metric registry of the twitter source."""

from __future__ import annotations

TOKEN_PATH = "/2/oauth2/token"
USER_PATH = "/2/users/{id}"
TIMELINE_PATH = "/2/users/{id}/tweets"
LOOKUP_PATH = "/2/tweets"
SEARCH_PATH = "/2/tweets/search/recent"

USER_FIELDS = "created_at,description,name,username,protected,verified,public_metrics"
TWEET_FIELDS = ("author_id,conversation_id,created_at,entities,in_reply_to_user_id,lang,"
                "public_metrics,referenced_tweets")
# only the author's user token may read these, and only for tweets < 30 days old
PRIVATE_TWEET_FIELDS = "non_public_metrics"
REPLY_FIELDS = "author_id,conversation_id,created_at,in_reply_to_user_id,lang"

TIMELINE_PAGE_SIZE = 100  # the API's maximum (5-100)
SEARCH_PAGE_SIZE = 100  # 10-100
MAX_LOOKUP_IDS = 100  # GET /2/tweets?ids= takes at most 100 ids
MAX_QUERY_CHARS = 512  # recent search query length on the basic/pro tiers
SEARCH_WINDOW_DAYS = 7  # recent search covers 7 days only
DEFAULT_LOOKBACK_DAYS = 15  # Fivetran's rollback window for X
DEFAULT_MAX_RATE_LIMIT_WAIT_S = 60.0

# metric registry: API object -> metric keys, flattened to columns of the same (snake_case) name.
# Every key is optional: public_metrics had only the first four keys in older responses.
PUBLIC_TWEET_METRICS = ("retweet_count", "reply_count", "like_count", "quote_count",
                        "bookmark_count", "impression_count")
NON_PUBLIC_TWEET_METRICS = ("url_link_clicks", "user_profile_clicks")
USER_METRICS = ("followers_count", "following_count", "tweet_count", "listed_count")
