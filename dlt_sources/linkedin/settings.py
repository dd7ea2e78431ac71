"""LinkedIn Community Management API: endpoints, headers, page sizes and the metric registry."""

from __future__ import annotations

RESTLI_PROTOCOL_VERSION = "2.0.0"
TOKEN_PATH = "/oauth/v2/accessToken"  # on www.linkedin.com for the real API (see token_url)

POSTS_PATH = "/rest/posts"
ORGANIZATION_PATH = "/rest/organizations/{org_id}"
SHARE_STATISTICS_PATH = "/rest/organizationalEntityShareStatistics"
FOLLOWER_STATISTICS_PATH = "/rest/organizationalEntityFollowerStatistics"
NETWORK_SIZE_PATH = "/rest/networkSizes/{org_urn}"
COMMENTS_PATH = "/rest/socialActions/{post_urn}/comments"

ORG_URN = "urn:li:organization:{org_id}"
FOLLOWER_EDGE = "COMPANY_FOLLOWED_BY_MEMBER"

DEFAULT_PAGE_SIZE = 50  # /rest/posts allows up to 100
DEFAULT_BATCH_SIZE = 50  # URNs per shares=List(...) / ids=List(...) call (URL length)
DEFAULT_COMMENTS_PAGE_SIZE = 100
DEFAULT_LOOKBACK_DAYS = 28
FOLLOWER_HISTORY_DAYS = 90  # daily follower gains read on the first sync (LinkedIn keeps 12 months)
FOLLOWER_HISTORY_REREAD_DAYS = 2  # recent days are re-read on every sync

# totalShareStatistics key -> raw column (the API's own names in snake_case)
SHARE_METRICS = {
    "impressionCount": "impression_count",
    "uniqueImpressionsCount": "unique_impressions_count",
    "clickCount": "click_count",
    "likeCount": "like_count",
    "commentCount": "comment_count",
    "shareCount": "share_count",
    "engagement": "engagement",
    "shareMentionsCount": "share_mentions_count",
    "commentMentionsCount": "comment_mentions_count",
}
# per-post statistics are asked by URN kind: share URNs under shares=, ugcPost URNs under ugcPosts=
URN_LIST_PARAMS = {"share": "shares", "ugcPost": "ugcPosts"}

# the config key a sunset LinkedIn-Version must be fixed in
API_VERSION_KEY = "sources.linkedin.api_version"
API_VERSION_ENV = "SOURCES__LINKEDIN__API_VERSION"
