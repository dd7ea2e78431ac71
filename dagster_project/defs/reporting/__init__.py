"""Reporting: the report job and the sensor that starts it for queued API report requests."""

import dagster as dg

from .jobs import report_job
from .sensors import report_request_sensor

defs = dg.Definitions(jobs=[report_job], sensors=[report_request_sensor])

__all__ = ["defs", "report_job", "report_request_sensor"]
