"""Alerting: viral-post and negative-sentiment sensors with their resource."""

import dagster as dg

from .resources import AlertsResource
from .sensors import negative_sentiment_sensor, viral_alert_sensor

defs = dg.Definitions(
    sensors=[viral_alert_sensor, negative_sentiment_sensor],
    resources={"alerts": AlertsResource()},
)

__all__ = ["AlertsResource", "defs", "negative_sentiment_sensor", "viral_alert_sensor"]
