"""dlt source for the LinkedIn Community Management API (organization pages).

Tables in ``raw_linkedin`` (declared in ``tables.py``, documented column by column in
README.md): organizations, posts, comments, post_metric_snapshots,
organization_metric_snapshots and rejects.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import dlt
from dlt.extract.resource import DltResource

from dlt_sources._shared.ageing import DEFAULT_POLL_SCHEDULE
from dlt_sources._shared.context import SyncContext
from dlt_sources._shared.contract import Table, table_resource
from dlt_sources.linkedin import settings
from dlt_sources.linkedin.harvest import Harvester, SourceConfig
from dlt_sources.linkedin.tables import CONTRACT
from socialpulse.accounts import SyncTarget


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
    poll_schedule: str = DEFAULT_POLL_SCHEDULE,
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
        poll_schedule: how often posts of the window are re-read by age, as age:interval
            tiers (default ``6h:0s,2d:1h,28d:1d``; see ``_shared/ageing.py``).

    Returns:
        One merge resource per raw table; malformed records go to ``rejects``.
    """
    harvester = Harvester(SourceConfig(
        base_url=base_url, api_version=str(api_version), client_id=client_id,
        client_secret=client_secret, lookback_days=lookback_days, page_size=page_size,
        batch_size=batch_size, comments_page_size=comments_page_size, token_url=token_url,
        poll_schedule=str(poll_schedule),
    ), context)
    return [_resource(table, harvester, targets) for table in CONTRACT.tables]


def _resource(table: Table, harvester: Harvester, targets: list[SyncTarget]) -> DltResource:
    """A merge resource yielding one table's rows for every organization (quarantined records
    are the rejects table's rows)."""

    def rows() -> Iterator[Any]:
        for target in targets:
            found = harvester.get(target).tables.get(table.name, [])
            if table.kind == "reject":
                yield from found  # each marked for the rejects table (see quarantine.reject)
            elif found:
                yield found  # one item per organization and table: dlt's per-item cost once

    return table_resource(rows, table)
