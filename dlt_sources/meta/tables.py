"""The raw tables of the meta source (``raw_meta``: Instagram and Facebook), declared once: dlt's
hints, Dagster's assets and checks, the sentiment sources and the dbt source YAML all follow
this contract."""

from __future__ import annotations

from dlt_sources._shared.contract import SourceContract, Table, columns, typed
from dlt_sources._shared.quarantine import rejects_table
from dlt_sources.meta import settings
from socialpulse.platforms import SOURCE_PLATFORMS

IG, FB = ("instagram",), ("facebook",)

IG_ACCOUNTS = Table(
    "instagram_accounts", "account", IG, ("id",),
    columns(id="text", username="text", name="text", followers_count="bigint",
            follows_count="bigint", media_count="bigint", last_observed_at="timestamp"),
    account_column="id")
IG_ACCOUNT_SNAPSHOTS = Table(
    "instagram_account_metric_snapshots", "account_snapshot", IG, ("account_id", "observed_at"),
    columns(account_id="text", observed_at="timestamp", followers_count="bigint",
            follows_count="bigint", media_count="bigint"),
    account_column="account_id")
IG_MEDIA = Table(
    "instagram_media", "post", IG, ("id",),
    columns(id="text", owner_id="text", caption="text", media_type="text",
            media_product_type="text", permalink="text", created_at="timestamp", hashtags="json",
            is_deleted="bool", last_observed_at="timestamp"),
    account_column="owner_id", text_column="caption")
IG_MEDIA_SNAPSHOTS = Table(
    "instagram_media_metric_snapshots", "post_snapshot", IG, ("media_id", "observed_at"),
    columns(media_id="text", owner_id="text", observed_at="timestamp", like_count="bigint",
            comments_count="bigint", **typed(settings.IG_MEDIA_METRICS, "bigint")),
    account_column="owner_id")
IG_COMMENTS = Table(
    "instagram_comments", "comment", IG, ("id",),
    columns(id="text", media_id="text", owner_id="text", text="text", username="text",
            like_count="bigint", created_at="timestamp", last_observed_at="timestamp"),
    account_column="owner_id", text_column="text")
FB_PAGES = Table(
    "facebook_pages", "account", FB, ("id",),
    columns(id="text", name="text", fan_count="bigint", followers_count="bigint",
            last_observed_at="timestamp"),
    account_column="id")
FB_PAGE_SNAPSHOTS = Table(
    "facebook_page_metric_snapshots", "account_snapshot", FB, ("page_id", "observed_at"),
    columns(page_id="text", observed_at="timestamp", fan_count="bigint",
            followers_count="bigint"),
    account_column="page_id")
# the platforms' daily follower history of owned accounts, one row per account and day
IG_FOLLOWER_COUNTS = Table(
    "instagram_follower_count_insights", "account_snapshot", IG, ("account_id", "metric_date"),
    columns(account_id="text", metric_date="date", follower_count="bigint",
            end_time="timestamp", observed_at="timestamp"),
    account_column="account_id")
FB_PAGE_FOLLOWS = Table(
    "facebook_page_follows_insights", "account_snapshot", FB, ("page_id", "metric_date"),
    columns(page_id="text", metric_date="date", page_follows="bigint", end_time="timestamp",
            observed_at="timestamp"),
    account_column="page_id")
FB_POSTS = Table(
    "facebook_posts", "post", FB, ("id",),
    columns(id="text", page_id="text", message="text", created_at="timestamp",
            permalink_url="text", hashtags="json", is_deleted="bool",
            last_observed_at="timestamp"),
    account_column="page_id", text_column="message")
FB_POST_SNAPSHOTS = Table(
    "facebook_post_metric_snapshots", "post_snapshot", FB, ("post_id", "observed_at"),
    columns(post_id="text", page_id="text", observed_at="timestamp", reactions="bigint",
            comments="bigint", shares="bigint", **typed(settings.FB_POST_METRICS, "bigint")),
    account_column="page_id")
FB_COMMENTS = Table(
    "facebook_comments", "comment", FB, ("id",),
    columns(id="text", post_id="text", page_id="text", message="text", from_id="text",
            from_name="text", created_at="timestamp", last_observed_at="timestamp"),
    account_column="page_id", text_column="message")
REJECTS = rejects_table(SOURCE_PLATFORMS["meta"])

INSTAGRAM = (IG_ACCOUNTS, IG_ACCOUNT_SNAPSHOTS, IG_MEDIA, IG_MEDIA_SNAPSHOTS, IG_COMMENTS,
             IG_FOLLOWER_COUNTS)
FACEBOOK = (FB_PAGES, FB_PAGE_SNAPSHOTS, FB_POSTS, FB_POST_SNAPSHOTS, FB_COMMENTS,
            FB_PAGE_FOLLOWS)
CONTRACT = SourceContract("meta", SOURCE_PLATFORMS["meta"], (*INSTAGRAM, *FACEBOOK, REJECTS))
