"""What both Graph platforms share: the run's settings, listings that learn which metrics the
API refuses, and multi-id re-polls of the lookback window."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dlt_sources._shared.context import Credentials, SyncContext
from dlt_sources._shared.contract import Table
from dlt_sources._shared.warehouse import recent_post_ids, stored_rows
from dlt_sources.meta import records, settings
from dlt_sources.meta.helpers import GraphClient, GraphError
from dlt_sources.meta.metrics import MetricRegistry


@dataclass
class Run:
    """One source run: the client, where raw data lives, and what to ask for."""

    client: GraphClient
    context: SyncContext
    lookback: timedelta
    page_size: int
    registries: dict[str, MetricRegistry] = field(default_factory=dict)

    def metrics(self, platform: str) -> list[str]:
        return list(self.registries[platform].metrics)

    def insights_field(self, platform: str) -> str:
        """``insights.metric(a,b)``, or nothing once every metric was refused."""
        metrics = self.metrics(platform)
        return f",insights.metric({','.join(metrics)})" if metrics else ""

    def recent_ids(self, table: Table, account_id: str, observed: datetime) -> list[str]:
        """Loaded, not-deleted posts of an account created inside the lookback window."""
        return recent_post_ids(self.context.warehouse_url, self.context.dataset, table,
                               account_id, observed - self.lookback)

    def stored_rows(self, table: Table, ids: list[str]) -> list[dict]:
        """Rows already loaded for ``ids`` (to flag them deleted without losing their facts)."""
        return stored_rows(self.context.warehouse_url, self.context.dataset, table, ids)


def is_metric_error(err: GraphError) -> bool:
    """Code 100 covers invalid metrics, missing objects and pre-conversion media alike: only
    the message tells an invalid insights metric apart."""
    return err.code == 100 and "metric" in str(err).lower()


def learning_metrics(run: Run, platform: str,
                     produce: Callable[[], Iterator[Any]]) -> Iterator[Any]:
    """Run ``produce``; when the API refuses an insights metric, drop it (with a warning) and
    run again without it. Rows of a failed attempt that were already yielded are yielded again
    by the retry, which the merge on primary keys absorbs."""
    while True:
        try:
            yield from produce()
            return
        except GraphError as err:
            if not is_metric_error(err) or not run.registries[platform].drop_after_error(str(err)):
                raise


def _gone(err: GraphError) -> list[str]:
    match = re.search(r"do not exist:\s*(.+)$", str(err))
    return [i.strip() for i in match.group(1).split(",")] if match else []


def repoll(run: Run, creds: Credentials, platform: str, table: Table, ids: list[str],
           fields: Callable[[], str],
           to_rows: Callable[[dict, datetime], Iterator[Any]]) -> Iterator[Any]:
    """Re-read posts by id, 50 per multi-id call. Ids the API says no longer exist (#803) are
    flagged deleted and the call is repeated without them."""
    for start in range(0, len(ids), settings.BATCH_SIZE):
        chunk = ids[start:start + settings.BATCH_SIZE]
        while chunk:
            try:
                body, observed = run.client.get("", creds, {"ids": ",".join(chunk),
                                                            "fields": fields()})
            except GraphError as err:
                gone = _gone(err) if err.code == settings.MISSING_ALIASES_CODE else []
                if gone:
                    # GraphClient raises GraphError with the server time of the answer
                    assert err.observed_at is not None
                    for stored in run.stored_rows(table, gone):
                        yield records.deleted(table, stored, err.observed_at)
                    chunk = [i for i in chunk if i not in gone]
                    continue
                if is_metric_error(err) and run.registries[platform].drop_after_error(str(err)):
                    continue
                raise
            for item in body.values():
                yield from to_rows(item, observed)
            break

