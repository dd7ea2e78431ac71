"""Daily follower history of owned accounts from account insights: Instagram's
``follower_count`` (the day's change, last 30 days) and Facebook's ``page_follows`` (the day's
total, up to 90 days per call). The first sync reads as far back as Graph allows; later syncs
re-read from a few days before the last day loaded (values of recent days are corrected), so a
re-run merges onto the same (account, metric_date) rows."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from dlt_sources._shared.contract import route
from dlt_sources._shared.errors import RateLimited
from dlt_sources._shared.quarantine import reject
from dlt_sources.meta import settings
from dlt_sources.meta.helpers import GraphError
from dlt_sources.meta.polling import Run
from dlt_sources.meta.records import parse_time
from dlt_sources.meta.tables import (
    FB_PAGE_FOLLOWS,
    FB_PAGE_SNAPSHOTS,
    IG_ACCOUNT_SNAPSHOTS,
    IG_FOLLOWER_COUNTS,
)
from socialpulse.accounts import SyncTarget

log = logging.getLogger(__name__)
SNAPSHOT_TABLES = (IG_ACCOUNT_SNAPSHOTS.name, FB_PAGE_SNAPSHOTS.name)
# (platform, metric, days Graph keeps, table, value column)
HISTORY = {
    "instagram": ("follower_count", settings.IG_FOLLOWER_HISTORY_DAYS, IG_FOLLOWER_COUNTS,
                  "account_id"),
    "facebook": ("page_follows", settings.FB_FOLLOWER_HISTORY_DAYS, FB_PAGE_FOLLOWS, "page_id"),
}


def metric_date(end_time: Any) -> date | None:
    """The day a daily value belongs to: the day its ``end_time`` closes (Graph labels a day
    by the Pacific midnight that ends it, 07:00 or 08:00 UTC of the next day)."""
    end = parse_time(end_time)
    return (end - timedelta(days=1)).date() if end else None


def _since(state: dict, account_id: str, now: datetime, keep_days: int) -> datetime:
    oldest = now - timedelta(days=keep_days - 1)
    last = state.get(account_id)
    if not last:
        return oldest
    again = datetime.combine(date.fromisoformat(last), now.timetz()) - timedelta(
        days=settings.FOLLOWER_HISTORY_REREAD_DAYS)
    return max(oldest, again)


def with_history(run: Run, target: SyncTarget, state: dict,
                 rows: Iterator[Any]) -> Iterator[Any]:
    """Pass the account's sync ``rows`` through, then read its follower history up to the
    server time of its account snapshot (competitors' insights are not readable)."""
    now = None
    for item in rows:
        table = getattr(getattr(item, "meta", None), "table_name", "")
        if table in SNAPSHOT_TABLES and isinstance(getattr(item, "data", None), dict):
            now = item.data.get("observed_at") or now
        yield item
    if now is not None and not target.is_competitor:
        yield from sync_history(run, target, state, now)


def sync_history(run: Run, target: SyncTarget, state: dict, now: datetime) -> Iterator[Any]:
    """The owned account's daily follower values since ``state``'s last day. A refusal or an
    account-level throttle of the insights call skips the history of this run with a warning:
    the account's other data is loaded all the same."""
    metric, keep_days, table, key = HISTORY[target.platform]
    account_id = target.platform_account_id
    params = {"metric": metric, "period": "day",
              "since": int(_since(state, account_id, now, keep_days).timestamp()),
              "until": int(now.timestamp())}
    try:
        body, observed = run.client.get(f"{account_id}/insights",
                                        run.context.credentials(target), params)
    except (GraphError, RateLimited) as err:
        # a refused or throttled history read waits for the next sync, which reads on from
        # the last day loaded; the app's own limit still stops the whole run
        if isinstance(err, GraphError) and err.code not in (settings.PERMISSION_CODE, 100) or (
                run.client.app_limited is not None):
            raise
        log.warning("%s account %s: no follower history this run (%s)", target.platform,
                    account_id, err)
        return
    last = None
    for item in body.get("data") or []:
        if item.get("name") != metric:
            continue
        for value in item.get("values") or []:
            day = metric_date(value.get("end_time"))
            if day is None or not isinstance(value.get("value"), int):
                yield reject(table.name, value, f"{metric}: no end_time or no integer value",
                             observed, account_id)
                continue
            last = max(last or day, day)
            yield route(table, {key: account_id, "metric_date": day, metric: value["value"],
                                "end_time": parse_time(value.get("end_time")),
                                "observed_at": observed})
    if last is not None:
        state[account_id] = last.isoformat()
