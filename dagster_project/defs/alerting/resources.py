"""The alerting resource: which warehouse to read and write, and the alert settings."""

from __future__ import annotations

import dagster as dg

from socialpulse.alerts import AlertSettings, load_alert_settings
from socialpulse.warehouse import database_url


class AlertsResource(dg.ConfigurableResource):
    """Warehouse URL (default: the stack's ``DATABASE_URL`` / embedded Postgres) plus the alert
    settings read from the environment (``ALERT_SINKS``, ``ALERT_WEBHOOK_URL``, ``SMTP_*`` ...).

    Secrets are not config fields: they stay in the environment and never reach Dagster's run
    storage or UI.
    """

    database_url: str | None = None

    def url(self) -> str:
        return self.database_url or database_url()

    def settings(self) -> AlertSettings:
        return load_alert_settings()
