"""What both Graph platforms share: the run's settings, listings that learn which metrics the
API refuses, and multi-id re-polls of the lookback window."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from dlt_sources._shared.ageing import DEFAULT_POLL_SCHEDULE, PollSchedule, WindowPolls
from dlt_sources._shared.context import Credentials, SyncContext
from dlt_sources._shared.contract import Table
from dlt_sources._shared.warehouse import recent_post_ids, stored_rows
from dlt_sources.meta import records, settings
from dlt_sources.meta.helpers import GraphClient, GraphError
from dlt_sources.meta.metrics import MIXED, MetricRegistry


@dataclass
class Run:
    """One source run: the client, where raw data lives, and what to ask for."""

    client: GraphClient
    context: SyncContext
    lookback: timedelta
    page_size: int
    registries: dict[str, MetricRegistry] = field(default_factory=dict)
    # per (platform, account, media kind): one account's refusal must not change what others
    # ask for, nor one media type's (Graph allows other metrics on REELS than on IMAGE) what
    # the account asks for other types; MIXED is what reads of any type (listings) ask for
    learned: dict[tuple[str, str, str], MetricRegistry] = field(default_factory=dict)
    # Instagram accounts whose insights are read media by media (see media_insights.py)
    per_media_insights: set[str] = field(default_factory=set)
    # business_discovery pages read per competitor and run at most (its `after` may not end)
    discovery_max_pages: int = settings.DISCOVERY_MAX_PAGES
    schedule: PollSchedule = field(default_factory=lambda: PollSchedule.parse(
        DEFAULT_POLL_SCHEDULE))
    # the window's posts and their last observations, one query per table and run
    windows: dict[str, WindowPolls] = field(default_factory=dict)

    def registry(self, platform: str, account_id: str, kind: str = MIXED) -> MetricRegistry:
        """The metric registry of one account and media kind (a copy of the run's, made on
        first use: a refusal in a mixed listing does not take a metric from the types that
        accept it)."""
        key = (platform, account_id, kind)
        if key not in self.learned:
            self.learned[key] = self.registries[platform].copy()
        return self.learned[key]

    def metrics(self, platform: str, account_id: str, kind: str = MIXED) -> list[str]:
        return list(self.registry(platform, account_id, kind).metrics)

    def insights_field(self, platform: str, account_id: str, kind: str = MIXED) -> str:
        """``insights.metric(a,b)``, or nothing once every metric was refused."""
        metrics = self.metrics(platform, account_id, kind)
        return f",insights.metric({','.join(metrics)})" if metrics else ""

    def recent_ids(self, table: Table, account_id: str, observed: datetime) -> list[str]:
        """Loaded, not-deleted posts of an account created inside the lookback window."""
        return recent_post_ids(self.context.warehouse_url, self.context.dataset, table,
                               account_id, observed - self.lookback)

    def due_ids(self, table: Table, snapshots: Table, account_id: str,
                observed: datetime, skip: set[str]) -> list[str]:
        """Window posts of an account that ageing polls re-read now (``skip`` left out)."""
        if table.name not in self.windows:
            self.windows[table.name] = WindowPolls(
                self.context.warehouse_url, self.context.dataset, table, snapshots,
                self.schedule, accounts=self.context.accounts)
        return self.windows[table.name].due(account_id, observed - self.lookback, observed,
                                            skip)

    def stored_rows(self, table: Table, ids: list[str]) -> list[dict]:
        """Rows already loaded for ``ids`` (to flag them deleted without losing their facts)."""
        return stored_rows(self.context.warehouse_url, self.context.dataset, table, ids)


def is_metric_error(err: GraphError) -> bool:
    """Code 100 covers invalid metrics, missing objects and pre-conversion media alike: only
    the message tells an invalid insights metric apart."""
    return err.code == 100 and "metric" in str(err).lower()


def _snapshot_key(item: Any) -> tuple | None:
    """(table, object id, observed_at) of a routed metric snapshot row, else None."""
    table = getattr(getattr(item, "meta", None), "table_name", "")
    row = getattr(item, "data", None)
    if not str(table).endswith("_metric_snapshots") or not isinstance(row, dict):
        return None
    return (table, row.get("media_id") or row.get("post_id"), row.get("observed_at"))


def learning_metrics(run: Run, platform: str, account_id: str,
                     produce: Callable[[], Iterator[Any]], kind: str = MIXED) -> Iterator[Any]:
    """Run ``produce``; when the API refuses an insights metric, drop it (with a warning) and
    run again without it. Rows of a failed attempt are yielded again by the retry (the merge
    absorbs them), except snapshots already yielded: the retry asks for fewer metrics, and
    its poorer row must not replace the richer one of the same instant."""
    done: set[tuple] = set()
    while True:
        try:
            for item in produce():
                key = _snapshot_key(item)
                if key is not None and key in done:
                    continue
                if key is not None:
                    done.add(key)
                yield item
            return
        except GraphError as err:
            registry = run.registry(platform, account_id, kind)
            if not is_metric_error(err) or not registry.drop_after_error(str(err)):
                raise


def _gone(err: GraphError) -> list[str]:
    match = re.search(r"do not exist:\s*(.+)$", str(err))
    return [i.strip() for i in match.group(1).split(",")] if match else []


def repoll(run: Run, creds: Credentials, platform: str, owner: str, table: Table, ids: list[str],
           fields: Callable[[], str], to_rows: Callable[[dict, datetime], Iterator[Any]],
           kind: str = MIXED) -> Iterator[Any]:
    """Re-read posts by id, 50 per multi-id call (``kind``: the media type they all have, whose
    refusals are learned for it alone). Ids the API says no longer exist (#803) are flagged
    deleted and the call is repeated without them."""
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
                registry = run.registry(platform, owner, kind)
                if is_metric_error(err) and registry.drop_after_error(str(err)):
                    continue
                raise
            for item in body.values():
                yield from to_rows(item, observed)
            break

