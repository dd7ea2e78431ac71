"""The raw tables of the twitter source (``raw_twitter``), declared once: dlt's hints, Dagster's
assets and checks, the sentiment sources and the dbt source YAML all follow this contract."""

from __future__ import annotations

from dlt_sources._shared.contract import SourceContract, Table, columns, typed
from dlt_sources._shared.quarantine import rejects_table
from dlt_sources.twitter import settings
from socialpulse.platforms import SOURCE_PLATFORMS

PLATFORMS = SOURCE_PLATFORMS["twitter"]

USERS = Table(
    "users", "account", PLATFORMS, ("id",),
    columns(id="text", username="text", name="text", description="text", created_at="timestamp",
            protected="bool", verified="bool", is_competitor="bool",
            last_observed_at="timestamp"),
    account_column="id")
USER_SNAPSHOTS = Table(
    "user_metric_snapshots", "account_snapshot", PLATFORMS, ("user_id", "observed_at"),
    columns(user_id="text", observed_at="timestamp",
            **typed(settings.USER_METRICS, "bigint")),
    account_column="user_id")
TWEETS = Table(
    "tweets", "post", PLATFORMS, ("id",),
    columns(id="text", author_id="text", text="text", created_at="timestamp",
            conversation_id="text", lang="text", in_reply_to_user_id="text", hashtags="json",
            mentions="json", urls="json", referenced_tweets="json", is_retweet="bool",
            is_deleted="bool", last_observed_at="timestamp"),
    account_column="author_id", text_column="text")
TWEET_SNAPSHOTS = Table(
    "tweet_metric_snapshots", "post_snapshot", PLATFORMS, ("tweet_id", "observed_at"),
    columns(tweet_id="text", author_id="text", observed_at="timestamp",
            **typed(settings.PUBLIC_TWEET_METRICS + settings.NON_PUBLIC_TWEET_METRICS,
                    "bigint")),
    account_column="author_id")
# account_id is the owned account whose conversation the reply is in
REPLIES = Table(
    "replies", "comment", PLATFORMS, ("id",),
    columns(id="text", conversation_id="text", account_id="text", author_id="text", text="text",
            created_at="timestamp", lang="text", in_reply_to_user_id="text",
            last_observed_at="timestamp"),
    account_column="account_id", text_column="text")
REJECTS = rejects_table(PLATFORMS)

CONTRACT = SourceContract("twitter", PLATFORMS, (
    USERS, USER_SNAPSHOTS, TWEETS, TWEET_SNAPSHOTS, REPLIES, REJECTS))
