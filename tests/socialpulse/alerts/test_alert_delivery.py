"""Delivery through real sinks: a local webhook HTTP server and a local SMTP server."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime

import psycopg
import pytest
from alert_marts import add_candidate, create_contract_marts
from alert_servers import SMTP_PASSWORD, WEBHOOK_TOKEN, email_env, free_port
from psycopg.rows import dict_row

from socialpulse.alerts import build_sinks, close_sinks, deliver_due, raise_viral_alerts
from socialpulse.errors import ConfigError

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def raise_one(db_url: str, account: dict, settings, platform_post_id: str = "1001") -> int:
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        create_contract_marts(conn)
        add_candidate(conn, account, platform_post_id, T0)
        found = raise_viral_alerts(conn, settings, settings.sinks)
    assert len(found.alert_ids) == 1
    return found.alert_ids[0]


def state(db_url: str, alert_id: int) -> tuple[dict, dict[str, dict]]:
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        alert = conn.execute("select *, next_attempt_at - now() as wait from app.alerts "
                             "where alert_id = %s", (alert_id,)).fetchone()
        rows = conn.execute("select * from app.alert_deliveries where alert_id = %s",
                            (alert_id,)).fetchall()
    return alert, {r["sink"]: r for r in rows}


def deliver(db_url, settings):
    sinks = build_sinks(settings)
    try:
        return deliver_due(db_url, sinks, settings)
    finally:
        close_sinks(sinks)


def wait_until_due(db_url: str, alert_id: int) -> None:
    alert, _ = state(db_url, alert_id)
    time.sleep(max(0.0, alert["wait"].total_seconds()) + 0.05)


def test_webhook_and_email_deliver_a_readable_alert(db_url, accounts, alert_env, webhook,
                                                    mailserver):
    settings = alert_env(alert_sinks="log,webhook,email", alert_webhook_url=webhook.url,
                         **email_env(mailserver))
    alert_id = raise_one(db_url, accounts[0], settings)

    report = deliver(db_url, settings)

    assert report.sent == [alert_id]
    alert, rows = state(db_url, alert_id)
    assert alert["status"] == "sent" and alert["sent_at"] is not None
    assert alert["post_id"] == "twitter:1001"
    assert alert["payload"]["platform_post_id"] == "1001"
    assert alert["payload"]["post_url"] == "https://x.com/brightbean/status/1001"
    assert {s: r["status"] for s, r in rows.items()} == {
        "log": "delivered", "webhook": "delivered", "email": "delivered"}
    [slack] = webhook.delivered()
    assert set(slack) == {"text", "blocks"} and "@brightbean on X" in slack["text"]
    flat = str(slack["blocks"])
    assert "Our launch day thread" in flat and "https://x.com/brightbean/status/1001" in flat
    [mail] = mailserver.messages
    assert mail["To"] == "team@agency.test" and "Viral post by @brightbean" in mail["Subject"]
    assert "5,400" in mail.get_payload() and mailserver.logins == ["alerts@agency.test"]
    # nothing is resent on the next sweep
    assert deliver(db_url, settings).attempted == 0
    assert len(webhook.received) == 1 and len(mailserver.messages) == 1


def test_alerts_raised_before_the_rename_still_show_their_link():
    """Payloads written before migration 005 call the link ``permalink``."""
    from socialpulse.alerts import render

    base = {"alert_id": 7, "workspace_id": 1, "kind": "viral_post",
            "rule": "engagement_24h_zscore", "score": 7.5}
    for key in ("permalink", "post_url"):
        alert = {**base, "payload": {"handle": "b", "platform": "twitter",
                                     key: "https://x.com/b/status/1"}}
        assert render.post_url(alert) == "https://x.com/b/status/1"
        assert render.plain_text(alert).splitlines()[-2] == "https://x.com/b/status/1"
        assert "<https://x.com/b/status/1|open post>" in str(render.slack_message(alert))


@pytest.mark.parametrize("failure", ["http_500", "connection_refused"])
def test_failing_webhook_stays_pending_and_a_later_sweep_delivers(
        db_url, accounts, alert_env, webhook, mailserver, failure):
    url = webhook.url if failure == "http_500" else f"http://127.0.0.1:{free_port()}/hook/x"
    settings = alert_env(alert_sinks="webhook,email", alert_webhook_url=url,
                         **email_env(mailserver))
    if failure == "http_500":
        webhook.respond(500)
    alert_id = raise_one(db_url, accounts[0], settings)

    report = deliver(db_url, settings)

    assert report.pending == [alert_id]
    alert, rows = state(db_url, alert_id)
    assert alert["status"] == "pending" and alert["attempts"] == 1
    assert alert["next_attempt_at"] > alert["created_at"] and alert["wait"].total_seconds() > 0
    assert rows["webhook"]["status"] == "pending" and rows["webhook"]["attempts"] == 1
    assert ("HTTP 500" if failure == "http_500" else "ConnectError") in alert["last_error"]
    assert rows["email"]["status"] == "delivered" and len(mailserver.messages) == 1
    # before the back-off has passed, nothing is attempted
    assert deliver(db_url, settings).attempted == 0

    if failure == "connection_refused":  # the receiver comes back at the configured URL
        settings = alert_env(alert_webhook_url=webhook.url)
    wait_until_due(db_url, alert_id)
    report = deliver(db_url, settings)

    assert report.sent == [alert_id]
    alert, rows = state(db_url, alert_id)
    assert alert["status"] == "sent" and alert["attempts"] == 2 and alert["last_error"] is None
    assert rows["webhook"]["attempts"] == 2 and rows["webhook"]["status"] == "delivered"
    # the e-mail that already went out is not sent again
    assert len(mailserver.messages) == 1 and len(webhook.delivered()) == 1


def test_webhook_4xx_fails_that_sink_only_and_email_still_delivers(
        db_url, accounts, alert_env, webhook, mailserver):
    settings = alert_env(alert_sinks="webhook,email", alert_webhook_url=webhook.url,
                         **email_env(mailserver))
    webhook.respond(403)
    alert_id = raise_one(db_url, accounts[0], settings)

    report = deliver(db_url, settings)

    assert report.failed == [alert_id]
    alert, rows = state(db_url, alert_id)
    assert rows["webhook"]["status"] == "failed" and "HTTP 403" in rows["webhook"]["last_error"]
    assert rows["email"]["status"] == "delivered" and len(mailserver.messages) == 1
    # the alert is kept and listed as failed, with its error, and never retried
    assert alert["status"] == "failed" and "HTTP 403" in alert["last_error"]
    assert alert["next_attempt_at"] is None
    assert deliver(db_url, settings).attempted == 0 and len(webhook.received) == 1


def test_429_is_retried_after_retry_after(db_url, accounts, alert_env, webhook):
    settings = alert_env(alert_sinks="webhook", alert_webhook_url=webhook.url)
    webhook.respond((429, {"Retry-After": "30"}))
    alert_id = raise_one(db_url, accounts[0], settings)

    deliver(db_url, settings)

    alert, rows = state(db_url, alert_id)
    assert alert["status"] == "pending" and rows["webhook"]["status"] == "pending"
    assert 25 < alert["wait"].total_seconds() <= 30  # Retry-After beats our 1 s back-off cap


def test_max_attempts_cap_marks_failed_but_keeps_the_alert(db_url, accounts, alert_env,
                                                           webhook):
    settings = alert_env(alert_sinks="log,webhook", alert_webhook_url=webhook.url,
                         alert_max_attempts=3, alert_retry_base_s=0.05, alert_retry_max_s=0.1)
    webhook.respond(502, 503, 500, 500)
    alert_id = raise_one(db_url, accounts[0], settings)

    for _ in range(3):
        wait_until_due(db_url, alert_id)
        deliver(db_url, settings)

    alert, rows = state(db_url, alert_id)
    assert alert["status"] == "failed" and "gave up after 3 attempts" in alert["last_error"]
    assert rows["webhook"]["attempts"] == 3 and rows["log"]["status"] == "delivered"
    assert len(webhook.received) == 3


def test_smtp_recipient_refused_is_permanent(db_url, accounts, alert_env, mailserver):
    settings = alert_env(alert_sinks="email", **email_env(mailserver, to="nobody@bounce.test"))
    alert_id = raise_one(db_url, accounts[0], settings)

    deliver(db_url, settings)

    alert, rows = state(db_url, alert_id)
    assert alert["status"] == "failed" and "recipients refused [550]" in alert["last_error"]


def test_backoff_grows_exponentially_with_jitter(alert_env):
    from socialpulse.alerts.delivery import backoff_seconds

    settings = alert_env(alert_retry_base_s=60, alert_retry_max_s=3600)
    low = [backoff_seconds(n, settings, rng=lambda: 0.0) for n in range(1, 9)]
    high = [backoff_seconds(n, settings, rng=lambda: 1.0) for n in range(1, 9)]
    assert low == [30, 60, 120, 240, 480, 960, 1800, 1800]
    assert high == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_no_secret_reaches_logs_or_stored_errors(db_url, accounts, alert_env, webhook,
                                                 mailserver, caplog):
    settings = alert_env(alert_sinks="log,webhook,email", alert_webhook_url=webhook.url,
                         **email_env(mailserver))
    caplog.set_level(logging.DEBUG)
    webhook.respond(500, 404)
    alert_id = raise_one(db_url, accounts[0], settings)
    deliver(db_url, settings)          # 500: retry
    wait_until_due(db_url, alert_id)
    deliver(db_url, settings)          # 404: permanent
    # a wrong SMTP password: authentication fails without echoing it
    bad = alert_env(alert_sinks="email", smtp_password="wr0ng-" + SMTP_PASSWORD)
    raise_one(db_url, accounts[1], bad, platform_post_id="2002")
    deliver(db_url, bad)

    with psycopg.connect(db_url) as conn:
        stored = str(conn.execute("select array_agg(last_error) from app.alerts").fetchone())
        stored += str(conn.execute("select array_agg(last_error) from app.alert_deliveries"
                                   ).fetchone())
    text = caplog.text + stored + repr(settings) + repr(bad)
    assert "HTTP 500" in text and "HTTP 404" in text and "authentication failed" in text
    for secret in (SMTP_PASSWORD, WEBHOOK_TOKEN, "xoxWebhookToken123", "/services/"):
        assert secret not in text


@pytest.mark.parametrize("env, message", [
    ({"alert_sinks": "log,pagerduty"}, "unknown sink(s) pagerduty"),
    ({"alert_sinks": "webhook"}, "ALERT_WEBHOOK_URL is not set"),
    ({"alert_sinks": "webhook", "alert_webhook_url": "ftp://x/y"}, "must be an http(s) URL"),
    ({"alert_sinks": "email", "smtp_from": "a@b.c"}, "SMTP_HOST, ALERT_EMAIL_TO are not set"),
    ({"alert_max_attempts": "zero"}, "ALERT_MAX_ATTEMPTS"),
])
def test_misconfiguration_is_a_clear_error(alert_env, env, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        alert_env(**env)
