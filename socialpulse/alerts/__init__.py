"""Viral-post and negative-sentiment alerts: detection from the marts, delivery to sinks.

Detection (``detection``) turns new rows of ``marts.viral_candidates`` and spikes in
``marts.comments`` into ``app.alerts`` rows, deduplicated by key. Delivery (``delivery``) sends
due alerts to the configured sinks (``sinks``: log, webhook, email) with per-sink retries.
The Dagster sensors in ``dagster_project/defs/alerting`` call both on every tick.
"""

from socialpulse.alerts.config import AlertSettings, load_alert_settings
from socialpulse.alerts.delivery import DeliveryReport, deliver_due
from socialpulse.alerts.detection import (
    DetectionResult,
    raise_sentiment_alerts,
    raise_viral_alerts,
)
from socialpulse.alerts.sinks import DeliveryError, build_sinks, close_sinks

KINDS = ("viral_post", "negative_sentiment_spike")

__all__ = [
    "KINDS", "AlertSettings", "DeliveryError", "DeliveryReport", "DetectionResult",
    "build_sinks", "close_sinks", "deliver_due", "load_alert_settings", "raise_sentiment_alerts",
    "raise_viral_alerts",
]
