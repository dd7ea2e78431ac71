"""Names shared by the domain folders: raw tables per source group, job names, asset keys."""

from __future__ import annotations

import dagster as dg

from socialpulse.settings import PROJECT_ROOT

DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
CYCLE_JOB = "socialpulse_cycle"
NIGHTLY_JOB = "dbt_nightly_build"
CYCLE_CRON = "*/15 * * * *"
NIGHTLY_CRON = "0 2 * * *"
# run tag the instance's run queue limits to one at a time (see instance.py)
CYCLE_TAG = "socialpulse/cycle"

# raw tables each source writes (the platform contracts); the dbt manifest's sources are added
# to these, so a table dbt reads always has an ingestion asset
RAW_TABLES: dict[str, tuple[str, ...]] = {
    "twitter": ("users", "user_metric_snapshots", "tweets", "tweet_metric_snapshots",
                "replies", "rejects"),
    "meta": ("instagram_accounts", "instagram_account_metric_snapshots", "instagram_media",
             "instagram_media_metric_snapshots", "instagram_comments", "facebook_pages",
             "facebook_page_metric_snapshots", "facebook_posts", "facebook_post_metric_snapshots",
             "facebook_comments", "rejects"),
    "linkedin": ("organizations", "organization_metric_snapshots", "posts",
                 "post_metric_snapshots", "comments", "rejects"),
}

POST_SENTIMENT = dg.AssetKey(["enrichment", "post_sentiment"])
COMMENT_SENTIMENT = dg.AssetKey(["enrichment", "comment_sentiment"])


def raw_key(group: str, table: str) -> dg.AssetKey:
    """Asset key of a raw table: [dataset, table], the key of the dbt source that reads it."""
    return dg.AssetKey([f"raw_{group}", table])

# the table of each group that carries the group's per-account `accounts_synced` check
ACCOUNTS_CHECK_TABLE = {"twitter": "tweets", "meta": "instagram_media", "linkedin": "posts"}
