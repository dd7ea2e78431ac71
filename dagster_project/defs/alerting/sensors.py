"""Sensors that raise alerts after the marts refresh and deliver due alerts on every tick.

Detection runs only when Dagster recorded a new materialization of the mart(s) a rule reads
(the cursor keeps the last storage id seen); delivery runs on every tick, so a sink that failed
is retried once its back-off has passed even when no new data arrives. Each detection is one SQL
statement; delivery handles at most ``ALERT_DELIVERY_BATCH`` alerts per tick.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

import dagster as dg

from socialpulse.alerts import (
    DeliveryReport,
    DetectionResult,
    build_sinks,
    close_sinks,
    deliver_due,
    raise_sentiment_alerts,
    raise_viral_alerts,
)
from socialpulse.warehouse import connect

from .resources import AlertsResource

VIRAL_CANDIDATES = dg.AssetKey(["viral_candidates"])
COMMENTS = dg.AssetKey(["comments"])
SENTIMENT_DAILY = dg.AssetKey(["sentiment_daily"])
TICK_SECONDS = 60


@dataclass
class AlertCursor:
    """Last materialization storage id seen per watched asset, and the newest detection."""

    storage_ids: dict[str, int] = field(default_factory=dict)
    detected_at: str | None = None

    @classmethod
    def parse(cls, raw: str | None) -> AlertCursor:
        if not raw:
            return cls()
        data = json.loads(raw)
        return cls(dict(data.get("storage_ids") or {}), data.get("detected_at"))

    def dump(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


def _new_materializations(context: dg.SensorEvaluationContext, cursor: AlertCursor,
                          keys: list[dg.AssetKey]) -> dict[str, int]:
    """Storage ids of the latest materializations newer than the cursor (one lookup per key)."""
    fresh = {}
    for key in keys:
        records = context.instance.fetch_materializations(key, limit=1).records
        if records and records[0].storage_id > cursor.storage_ids.get(key.to_user_string(), -1):
            fresh[key.to_user_string()] = records[0].storage_id
    return fresh


def _tick(context: dg.SensorEvaluationContext, alerts: AlertsResource, kind: str,
          watched: list[dg.AssetKey], detect) -> dg.SensorResult:
    cursor = AlertCursor.parse(context.cursor)
    settings = alerts.settings()
    url = alerts.url()
    sinks = build_sinks(settings)
    try:
        fresh = _new_materializations(context, cursor, watched)
        found: DetectionResult | None = None
        if fresh:
            with connect(url) as conn:
                found = detect(conn, settings, list(sinks), cursor)
            cursor.storage_ids.update(fresh)
            if found.max_detected_at is not None:
                cursor.detected_at = found.max_detected_at.isoformat()
            context.log.info(
                f"{kind}: {', '.join(fresh)} refreshed; {found.candidates} candidate row(s), "
                f"{len(found.alert_ids)} new alert(s) {found.alert_ids}")
        report: DeliveryReport = deliver_due(url, sinks, settings, kinds=[kind])
    finally:
        close_sinks(sinks)
    if report.attempted:
        context.log.info(f"{kind}: {report.summary()} via {', '.join(sinks)}")
        for alert_id, errors in report.errors.items():
            context.log.warning(f"{kind}: alert #{alert_id}: {'; '.join(errors)}")
    if found is None and not report.attempted:
        reason = (f"no new materialization of {', '.join(k.to_user_string() for k in watched)}"
                  " and no alert due")
        return dg.SensorResult(skip_reason=dg.SkipReason(reason), cursor=cursor.dump())
    parts = []
    if found is not None:
        parts.append(f"raised {len(found.alert_ids)} alert(s)")
    if report.attempted:
        parts.append(report.summary())
    return dg.SensorResult(skip_reason=dg.SkipReason("; ".join(parts)), cursor=cursor.dump())


def _detect_viral(conn, settings, sinks, cursor: AlertCursor) -> DetectionResult:
    since = datetime.fromisoformat(cursor.detected_at) if cursor.detected_at else None
    return raise_viral_alerts(conn, settings, sinks, since=since)


def _detect_sentiment(conn, settings, sinks, cursor: AlertCursor) -> DetectionResult:
    return raise_sentiment_alerts(conn, settings, sinks)


@dg.sensor(
    name="viral_alert_sensor",
    minimum_interval_seconds=TICK_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="After viral_candidates refreshes: one alert per (account, post, rule); "
                "delivers due viral alerts on every tick (log / webhook / email).",
)
def viral_alert_sensor(context: dg.SensorEvaluationContext,
                       alerts: AlertsResource) -> dg.SensorResult:
    return _tick(context, alerts, "viral_post", [VIRAL_CANDIDATES], _detect_viral)


@dg.sensor(
    name="negative_sentiment_sensor",
    minimum_interval_seconds=TICK_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="After comments / sentiment_daily refresh: an alert when an account's share "
                "of negative comments in the last 24 h of data breaks out of its 7-day "
                "baseline; delivers due spike alerts on every tick.",
)
def negative_sentiment_sensor(context: dg.SensorEvaluationContext,
                              alerts: AlertsResource) -> dg.SensorResult:
    return _tick(context, alerts, "negative_sentiment_spike", [COMMENTS, SENTIMENT_DAILY],
                 _detect_sentiment)
