"""Running cycles from a terminal (`socialpulse cycle`, `make demo`): what the Dagster daemon
does after a scheduled run (evaluate the alert sensors), one summary line per cycle, and the
run's own output kept in a log file instead of the terminal."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def output_to(log_file: Path) -> Iterator[None]:
    """Send everything written to stdout/stderr (dbt's and Dagster's subprocess output too)
    to ``log_file`` while the block runs; the caller prints one summary line instead."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with log_file.open("a") as fh:
        os.dup2(fh.fileno(), 1)
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


class AlertTicker:
    """Evaluates the alert sensors after each cycle, as the Dagster daemon would. A first tick
    (no cursor) looks at every detection again; alerts are deduplicated per post and rule, so
    nothing is raised or sent twice."""

    def __init__(self, instance: Any, url: str):
        from dagster_project.defs.alerting import (
            AlertsResource,
            negative_sentiment_sensor,
            viral_alert_sensor,
        )

        self.instance = instance
        self.resources = {"alerts": AlertsResource(database_url=url)}
        self.sensors = [viral_alert_sensor, negative_sentiment_sensor]
        self.cursors: dict[str, str | None] = {}

    def tick(self) -> None:
        """One evaluation of each sensor, keeping its cursor for the next tick."""
        import dagster as dg

        for sensor in self.sensors:
            context = dg.build_sensor_context(instance=self.instance, resources=self.resources,
                                              cursor=self.cursors.get(sensor.name))
            result = sensor.evaluate_tick(context)
            self.cursors[sensor.name] = result.cursor


def cycle_line(summary: dict, seconds: float) -> str:
    """One line on what a cycle did (:func:`dagster_project.cycle.summarize`'s dict)."""
    rows = sum(summary["rows_loaded"].values())
    scored = sum(summary["sentiment_rows_scored"].values())
    status = "ok" if summary["success"] else f"FAILED steps {summary['failed_steps']}"
    held = sum(bool(f.get("held")) for f in summary["account_failures"])
    return (f"{rows} raw rows, {scored} texts scored, "
            f"{len(summary['checks_failed'])} checks failed, "
            f"{len(summary['account_failures']) - held} accounts failed, {held} held back, "
            f"{seconds:.0f}s ({status})")


def account_lines(summary: dict) -> list[str]:
    """The accounts a cycle could not sync: one line per failed account, one per hold reason
    for the held-back ones (an app's own limit holds every account of that app)."""
    lines: list[str] = []
    held: dict[str, list[str]] = {}
    for failure in summary["account_failures"]:
        error = str(failure.get("error") or "")
        if failure.get("held"):
            held.setdefault(error, []).append(failure["account"])
        else:
            lines.append(f"  ! account {failure['account']}: {error[:300]}")
    for error, names in held.items():
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        lines.append(f"  - held back: {shown}: {error[:300]}")
    return lines
