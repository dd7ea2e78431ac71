"""An organization's daily follower gains (time-bound ``organizationalEntityFollowerStatistics``,
DAY buckets): the first sync reads ``FOLLOWER_HISTORY_DAYS`` back (LinkedIn keeps 12 months),
later syncs re-read from a few days before the last day loaded; only complete UTC days come
back, and a re-run merges onto the same (organization, gain_date) rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from dlt_sources._shared.quarantine import reject
from dlt_sources._shared.warehouse import latest_date
from dlt_sources.linkedin import settings
from dlt_sources.linkedin.helpers import LinkedInApi
from dlt_sources.linkedin.tables import ORGANIZATION_FOLLOWER_GAINS


def _ms(t: datetime) -> int:
    return int(t.timestamp() * 1000)


def history_start(last: Any, today: datetime) -> datetime:
    """Where this sync's buckets start: ``FOLLOWER_HISTORY_DAYS`` back on the first sync,
    else a few days before the last day loaded."""
    oldest = today - timedelta(days=settings.FOLLOWER_HISTORY_DAYS)
    if last is None:
        return oldest
    again = datetime(last.year, last.month, last.day, tzinfo=UTC) - timedelta(
        days=settings.FOLLOWER_HISTORY_REREAD_DAYS)
    return max(oldest, again)


def follower_gain_rows(api: LinkedInApi, org_id: str, observed: datetime, warehouse_url: str,
                       dataset: str) -> tuple[list[dict], list[Any]]:
    """(rows, rejects): one row per complete UTC day since the history start; a malformed
    bucket is a reject."""
    today = datetime(observed.year, observed.month, observed.day, tzinfo=UTC)
    last = latest_date(warehouse_url, dataset, ORGANIZATION_FOLLOWER_GAINS, org_id, "gain_date")
    start = history_start(last, today)
    if start >= today:
        return [], []
    interval = (f"(timeRange:(start:{_ms(start)},end:{_ms(today)}),"
                "timeGranularityType:DAY)")
    urn = settings.ORG_URN.format(org_id=org_id)
    body, at = api.get(settings.FOLLOWER_STATISTICS_PATH, {
        "q": "organizationalEntity", "organizationalEntity": urn, "timeIntervals": interval})
    rows: list[dict] = []
    rejects: list[Any] = []
    for element in body.get("elements") or []:
        gains = element.get("followerGains") or {}
        start_ms = (element.get("timeRange") or {}).get("start")
        organic, paid = gains.get("organicFollowerGain"), gains.get("paidFollowerGain")
        if not isinstance(start_ms, int) or not isinstance(organic, int):
            rejects.append(reject(ORGANIZATION_FOLLOWER_GAINS.name, element,
                               "followerGains without timeRange.start or organicFollowerGain",
                               at, org_id))
            continue
        rows.append({"organization_id": org_id,
                     "gain_date": datetime.fromtimestamp(start_ms / 1000, UTC).date(),
                     "organic_follower_gain": organic,
                     "paid_follower_gain": paid if isinstance(paid, int) else 0,
                     "observed_at": at})
    return rows, rejects
