"""dlt source for the LinkedIn Community Management API (organization pages).

Tables in ``raw_linkedin`` (documented column by column in README.md): organizations, posts,
comments, post_metric_snapshots, organization_metric_snapshots and rejects.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import dlt
from dlt.common.schema.typing import TColumnSchema
from dlt.extract.resource import DltResource

from dlt_sources._shared.context import SyncContext
from dlt_sources._shared.quarantine import REJECTS_TABLE
from dlt_sources.linkedin import settings
from dlt_sources.linkedin.harvest import Harvester, SourceConfig
from socialpulse.accounts import SyncTarget

_TS = {"data_type": "timestamp"}
_INT = {"data_type": "bigint"}
_TEXT = {"data_type": "text"}
TABLES: dict[str, dict[str, Any]] = {
    "organizations": {
        "primary_key": "id",
        "columns": {"id": _TEXT, "vanity_name": _TEXT, "name": _TEXT,
                    "primary_organization_type": _TEXT, "last_observed_at": _TS},
    },
    "posts": {
        "primary_key": "id",
        "columns": {"id": _TEXT, "author_id": _TEXT, "commentary": _TEXT, "text": _TEXT,
                    "hashtags": {"data_type": "json"}, "created_at": _TS, "published_at": _TS,
                    "last_modified_at": _TS, "lifecycle_state": _TEXT, "visibility": _TEXT,
                    "content_type": _TEXT, "is_edited": {"data_type": "bool"},
                    "is_deleted": {"data_type": "bool"}, "last_observed_at": _TS},
    },
    "comments": {
        "primary_key": "id",
        "columns": {"id": _TEXT, "comment_id": _TEXT, "post_id": _TEXT, "organization_id": _TEXT,
                    "object_urn": _TEXT, "actor": _TEXT, "text": _TEXT, "created_at": _TS,
                    "last_modified_at": _TS, "last_observed_at": _TS},
    },
    "post_metric_snapshots": {
        "primary_key": ["post_id", "observed_at"],
        "columns": {"post_id": _TEXT, "organization_id": _TEXT, "observed_at": _TS,
                    **{c: _INT for c in settings.SHARE_METRICS.values() if c != "engagement"},
                    "engagement": {"data_type": "double"}},
    },
    "organization_metric_snapshots": {
        "primary_key": ["organization_id", "observed_at"],
        "columns": {"organization_id": _TEXT, "observed_at": _TS, "follower_count": _INT,
                    "organic_follower_gain": _INT, "paid_follower_gain": _INT,
                    "gain_date": {"data_type": "date"}},
    },
}


@dlt.source(name="linkedin")
def linkedin_source(
    targets: list[SyncTarget],
    context: SyncContext,
    base_url: str = dlt.config.value,
    api_version: str = dlt.config.value,
    client_id: str = dlt.secrets.value,
    client_secret: str = dlt.secrets.value,
    lookback_days: int = settings.DEFAULT_LOOKBACK_DAYS,
    page_size: int = settings.DEFAULT_PAGE_SIZE,
    batch_size: int = settings.DEFAULT_BATCH_SIZE,
    comments_page_size: int = settings.DEFAULT_COMMENTS_PAGE_SIZE,
    token_url: str | None = None,
) -> list[DltResource]:
    """LinkedIn organization pages: posts, comments, per-post statistics and followers.

    Args:
        targets: the connected LinkedIn organizations (each with its admin member's tokens).
        context: warehouse location, refreshable credentials and per-account outcomes.
        base_url: API root (``https://api.linkedin.com`` or the sandbox).
        api_version: the ``Linkedin-Version`` header (YYYYMM); monthly versions sunset after
            about a year.
        client_id: OAuth client id (refreshes access tokens).
        client_secret: OAuth client secret.
        lookback_days: posts this recent get their statistics and comments re-polled.
        page_size: posts per /rest/posts page (max 100).
        batch_size: URNs per batched statistics / post lookup call.
        comments_page_size: comments per page.
        token_url: OAuth token endpoint; defaults to ``{base_url}/oauth/v2/accessToken``
            (``https://www.linkedin.com/oauth/v2/accessToken`` for the real API).

    Returns:
        One merge resource per raw table; malformed records go to ``rejects``.
    """
    harvester = Harvester(SourceConfig(
        base_url=base_url, api_version=str(api_version), client_id=client_id,
        client_secret=client_secret, lookback_days=lookback_days, page_size=page_size,
        batch_size=batch_size, comments_page_size=comments_page_size, token_url=token_url,
    ), context)
    resources = [_resource(name, harvester, targets) for name in TABLES]
    return [*resources, _rejects(harvester, targets)]


def _rows(table: str, harvester: Harvester, targets: list[SyncTarget]) -> Iterator[Any]:
    for target in targets:
        yield from harvester.get(target).tables.get(table, [])


def _rejects(harvester: Harvester, targets: list[SyncTarget]) -> DltResource:
    """Quarantined records, in their own resource: ``quarantine.reject`` marks items with
    hints, and dlt applies such hints to the whole resource that yields them."""
    return dlt.resource(_rows(REJECTS_TABLE, harvester, targets), name=REJECTS_TABLE,
                        write_disposition="merge", primary_key="reject_id")


def _resource(table: str, harvester: Harvester, targets: list[SyncTarget]) -> DltResource:
    """A merge resource yielding one table's rows for every organization."""

    def rows() -> Iterator[Any]:
        yield from _rows(table, harvester, targets)

    hints = TABLES[table]
    # dlt writes into column hint dicts: give every column its own copy
    columns: dict[str, TColumnSchema] = {name: cast(TColumnSchema, dict(column))
                                         for name, column in hints["columns"].items()}
    return dlt.resource(rows, name=table, write_disposition="merge",
                        primary_key=hints["primary_key"], columns=columns)
