"""The raw tables of the linkedin source (``raw_linkedin``), declared once: dlt's hints,
Dagster's assets and checks, the sentiment sources and the dbt source YAML all follow this
contract."""

from __future__ import annotations

from dlt.common.data_types import TDataType

from dlt_sources._shared.contract import SourceContract, Table, columns, typed
from dlt_sources._shared.quarantine import rejects_table
from dlt_sources.linkedin import settings
from socialpulse.platforms import SOURCE_PLATFORMS

PLATFORMS = SOURCE_PLATFORMS["linkedin"]

ORGANIZATIONS = Table(
    "organizations", "account", PLATFORMS, ("id",),
    columns(id="text", vanity_name="text", name="text", primary_organization_type="text",
            last_observed_at="timestamp"),
    account_column="id")
ORGANIZATION_SNAPSHOTS = Table(
    "organization_metric_snapshots", "account_snapshot", PLATFORMS,
    ("organization_id", "observed_at"),
    columns(organization_id="text", observed_at="timestamp", follower_count="bigint",
            organic_follower_gain="bigint", paid_follower_gain="bigint", gain_date="date"),
    account_column="organization_id")
# daily follower gains of the time-bound follower statistics: the platform's follower history
ORGANIZATION_FOLLOWER_GAINS = Table(
    "organization_follower_gains", "account_snapshot", PLATFORMS,
    ("organization_id", "gain_date"),
    columns(organization_id="text", gain_date="date", organic_follower_gain="bigint",
            paid_follower_gain="bigint", observed_at="timestamp"),
    account_column="organization_id")
# text is the commentary with its little-text markup resolved (what sentiment reads)
POSTS = Table(
    "posts", "post", PLATFORMS, ("id",),
    columns(id="text", author_id="text", commentary="text", text="text", hashtags="json",
            created_at="timestamp", published_at="timestamp", last_modified_at="timestamp",
            lifecycle_state="text", visibility="text", content_type="text", is_edited="bool",
            is_deleted="bool", last_observed_at="timestamp"),
    account_column="author_id", text_column="text")
# engagement is LinkedIn's own rate, not a count
_SHARE_TYPES: dict[str, TDataType] = {**typed(settings.SHARE_METRICS.values(), "bigint"),
                                      "engagement": "double"}
POST_SNAPSHOTS = Table(
    "post_metric_snapshots", "post_snapshot", PLATFORMS, ("post_id", "observed_at"),
    columns(post_id="text", organization_id="text", observed_at="timestamp",
            **_SHARE_TYPES),
    account_column="organization_id")
COMMENTS = Table(
    "comments", "comment", PLATFORMS, ("id",),
    columns(id="text", comment_id="text", post_id="text", organization_id="text",
            object_urn="text", actor="text", text="text", like_count="bigint",
            created_at="timestamp",
            last_modified_at="timestamp", last_observed_at="timestamp"),
    account_column="organization_id", text_column="text")
REJECTS = rejects_table(PLATFORMS)

CONTRACT = SourceContract("linkedin", PLATFORMS, (
    ORGANIZATIONS, ORGANIZATION_SNAPSHOTS, ORGANIZATION_FOLLOWER_GAINS, POSTS, POST_SNAPSHOTS,
    COMMENTS, REJECTS))
