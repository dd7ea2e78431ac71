"""Deliver due alerts to every configured sink, with per-sink retries.

Each (alert, sink) pair has a row in ``app.alert_deliveries``; only pending, due rows are sent,
so a sink that failed is retried alone and the others never resend. An alert is ``sent`` when
every configured sink delivered, ``pending`` while any sink can still be retried, and ``failed``
once every remaining sink failed permanently or hit ``ALERT_MAX_ATTEMPTS``. Alerts are never
deleted here: failed ones stay listed with their last error.

Each alert is handled in its own transaction, claimed with ``for update skip locked``, so two
sensors (or two daemons) never deliver the same alert at the same time.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from socialpulse.alerts.config import AlertSettings, redact
from socialpulse.alerts.sinks import DeliveryError, Sink
from socialpulse.warehouse import DictConnection, connect

log = logging.getLogger("socialpulse.alerts")


@dataclass
class DeliveryReport:
    """What one delivery sweep did (alert ids per outcome, errors already redacted)."""

    sent: list[int] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    errors: dict[int, list[str]] = field(default_factory=dict)

    @property
    def attempted(self) -> int:
        return len(self.sent) + len(self.pending) + len(self.failed)

    def summary(self) -> str:
        return (f"delivered {len(self.sent)}, retry later {len(self.pending)}, "
                f"failed {len(self.failed)}")


def backoff_seconds(attempts: int, settings: AlertSettings,
                    rng: Callable[[], float] = random.random) -> float:
    """Exponential back-off with "equal jitter": half fixed, half random, capped.

    ``attempts`` is the number of attempts made so far (>= 1).
    """
    ceiling = min(settings.alert_retry_max_s,
                  settings.alert_retry_base_s * 2 ** max(0, attempts - 1))
    return ceiling * (0.5 + 0.5 * rng())


_CLAIM = """
    select alert_id, kind, dedupe_key, workspace_id, account_id, post_id, rule, score,
           payload, status, attempts, detected_at, created_at
    from app.alerts
    where status = 'pending' and next_attempt_at <= now() and kind = any(%(kinds)s)
      and alert_id <> all(%(seen)s::bigint[])
    order by next_attempt_at, alert_id
    limit 1
    for update skip locked
"""
# a sink configured after the alert was raised gets its delivery row here
_ENSURE = """
    insert into app.alert_deliveries (alert_id, sink)
    select %(alert_id)s, unnest(%(sinks)s::text[])
    on conflict (alert_id, sink) do nothing
"""
_DUE_DELIVERIES = """
    select sink, status, attempts, next_attempt_at <= now() as is_due
    from app.alert_deliveries
    where alert_id = %(alert_id)s and sink = any(%(sinks)s)
"""
_RECORD = """
    update app.alert_deliveries set
        status = %(status)s,
        attempts = attempts + 1,
        next_attempt_at = case when %(status)s = 'pending'
                               then now() + make_interval(secs => %(delay)s)
                               else next_attempt_at end,
        last_error = %(error)s,
        delivered_at = case when %(status)s = 'delivered' then now() end
    where alert_id = %(alert_id)s and sink = %(sink)s
"""
_ROLL_UP = """
    with d as (
        select count(*) filter (where status = 'delivered') as delivered,
               count(*) filter (where status = 'pending') as pending,
               count(*) as total,
               min(next_attempt_at) filter (where status = 'pending') as next_at
        from app.alert_deliveries
        where alert_id = %(alert_id)s and sink = any(%(sinks)s)
    )
    update app.alerts a set
        status = case when d.delivered = d.total then 'sent'
                      when d.pending > 0 then 'pending' else 'failed' end,
        next_attempt_at = case when d.pending > 0 and d.delivered < d.total then d.next_at end,
        sent_at = case when d.delivered = d.total then now() else a.sent_at end,
        attempts = a.attempts + 1,
        last_error = coalesce(%(error)s, case when d.delivered = d.total then null
                                              else a.last_error end)
    from d
    where a.alert_id = %(alert_id)s
    returning a.status
"""


def _deliver_one(conn: DictConnection, alert: dict, sinks: dict[str, Sink],
                 settings: AlertSettings, secrets: list[str]) -> tuple[str, list[str]]:
    names = list(sinks)
    params = {"alert_id": alert["alert_id"], "sinks": names}
    conn.execute(_ENSURE, params)
    rows = conn.execute(_DUE_DELIVERIES, params).fetchall()
    errors: list[str] = []
    for row in rows:
        if row["status"] != "pending" or not row["is_due"]:
            continue
        attempts = row["attempts"] + 1
        status, delay, error = "delivered", 0.0, None
        try:
            sinks[row["sink"]].send(alert)
        except DeliveryError as exc:
            error = redact(str(exc), secrets)
            if exc.permanent:
                status = "failed"
            elif attempts >= settings.alert_max_attempts:
                status, error = "failed", f"gave up after {attempts} attempts: {error}"
            else:
                status = "pending"
                delay = max(backoff_seconds(attempts, settings), exc.retry_after_s or 0.0)
        except Exception as exc:  # a bug in a sink must not stop the others
            error = redact(f"{row['sink']}: {type(exc).__name__}: {exc}", secrets)[:500]
            status = "pending" if attempts < settings.alert_max_attempts else "failed"
            delay = backoff_seconds(attempts, settings)
        if error:
            errors.append(error)
        conn.execute(_RECORD, {"status": status, "delay": delay, "error": error,
                               "alert_id": alert["alert_id"], "sink": row["sink"]})
    result = conn.execute(_ROLL_UP, {"alert_id": alert["alert_id"], "sinks": names,
                                     "error": "; ".join(errors) or None}).fetchone()
    assert result is not None
    return result["status"], errors


def deliver_due(url: str, sinks: dict[str, Sink], settings: AlertSettings,
                kinds: Iterable[str] = ("viral_post", "negative_sentiment_spike"),
                limit: int | None = None) -> DeliveryReport:
    """Send every pending alert of ``kinds`` whose ``next_attempt_at`` has come."""
    report = DeliveryReport()
    if not sinks:
        return report
    secrets = settings.secrets()
    limit = limit or settings.alert_delivery_batch
    seen: set[int] = set()
    while report.attempted < limit:
        with connect(url) as conn:
            alert = conn.execute(_CLAIM, {"kinds": list(kinds), "seen": list(seen)}).fetchone()
            if alert is None:
                break
            seen.add(alert["alert_id"])
            status, errors = _deliver_one(conn, alert, sinks, settings, secrets)
        getattr(report, {"sent": "sent", "pending": "pending"}.get(status, "failed")).append(
            alert["alert_id"])
        if errors:
            report.errors[alert["alert_id"]] = errors
            log.warning("alert #%s %s: %s", alert["alert_id"], status, "; ".join(errors))
        else:
            log.info("alert #%s %s", alert["alert_id"], status)
    return report
