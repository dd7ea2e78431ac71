"""The Dagster sensors: cursors, SkipReason when idle, dedupe across ticks, retries on ticks."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import dagster as dg
import psycopg
import pytest
from alert_marts import add_candidate, add_comments, create_contract_marts
from psycopg.rows import dict_row

from dagster_project.defs.alerting import (
    AlertsResource,
    defs,
    negative_sentiment_sensor,
    viral_alert_sensor,
)

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def instance():
    with dg.instance_for_test() as inst:
        yield inst


def tick(sensor, instance, db_url, cursor=None):
    context = dg.build_sensor_context(instance=instance, cursor=cursor,
                                      resources={"alerts": AlertsResource(database_url=db_url)})
    return sensor.evaluate_tick(context)


def materialize(instance, *names: str) -> None:
    for name in names:
        instance.report_runless_asset_event(dg.AssetMaterialization(asset_key=name))


def alerts(db_url):
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        return conn.execute("select * from app.alerts order by alert_id").fetchall()


def test_definitions_expose_both_sensors_and_their_resource():
    names = {s.name for s in defs.sensors}
    assert names == {"viral_alert_sensor", "negative_sentiment_sensor"}
    assert "alerts" in defs.resources
    repo = dg.Definitions.merge(defs, dg.Definitions()).get_repository_def()
    assert repo.get_sensor_def("viral_alert_sensor").default_status == \
        dg.DefaultSensorStatus.RUNNING


def test_viral_sensor_raises_once_per_post_across_ticks(db_url, accounts, alert_env, instance,
                                                        caplog):
    alert_env(alert_sinks="log")
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        create_contract_marts(conn)
        for n, account in enumerate(accounts):
            add_candidate(conn, account, f"{n}00", T0 + timedelta(minutes=n))
        add_candidate(conn, accounts[0], "000", T0, rule="engagement_rate_breakout")

    idle = tick(viral_alert_sensor, instance, db_url)
    assert idle.skip_message.startswith("no new materialization of viral_candidates")
    assert alerts(db_url) == []

    materialize(instance, "viral_candidates")
    first = tick(viral_alert_sensor, instance, db_url, idle.cursor)
    raised = alerts(db_url)
    # one alert per (post, rule): the post that broke both rules has two
    assert len(raised) == 4 and {a["status"] for a in raised} == {"sent"}
    assert {(a["post_id"], a["rule"]) for a in raised} == {
        ("twitter:000", "engagement_24h_zscore"), ("twitter:000", "engagement_rate_breakout"),
        ("instagram:100", "engagement_24h_zscore"), ("facebook:200", "engagement_24h_zscore")}
    assert "raised 4 alert(s)" in first.skip_message and "delivered 4" in first.skip_message
    cursor = json.loads(first.cursor)
    assert cursor["storage_ids"]["viral_candidates"] > 0
    assert cursor["detected_at"].startswith("2026-11-20T12:02")
    assert caplog.text.count("ALERT Viral post by @") == 4

    # the same tick again, and a rebuild of the mart with the same rows: nothing new
    again = tick(viral_alert_sensor, instance, db_url, first.cursor)
    assert again.skip_message.startswith("no new materialization")
    materialize(instance, "viral_candidates")
    rebuilt = tick(viral_alert_sensor, instance, db_url, first.cursor)
    assert "raised 0 alert(s)" in rebuilt.skip_message and len(alerts(db_url)) == 4

    # a new candidate after a further refresh raises exactly one more alert
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        add_candidate(conn, accounts[1], "101", T0 + timedelta(hours=5))
    materialize(instance, "viral_candidates")
    tick(viral_alert_sensor, instance, db_url, rebuilt.cursor)
    assert [a["post_id"] for a in alerts(db_url)][4:] == ["instagram:101"]


def test_posts_found_at_connection_make_one_notice_per_account(db_url, accounts, alert_env,
                                                              instance, caplog):
    """Three posts of one account and one of another had taken off before they were connected:
    two notices listing them, no live alert for them; a live takeoff still alerts; a further
    found post of an account that has its notice adds nothing."""
    alert_env(alert_sinks="log")
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        create_contract_marts(conn)
        for n in range(3):
            add_candidate(conn, accounts[0], f"90{n}", T0, score=6.0 + n,
                          found_at_connection=True)
        add_candidate(conn, accounts[0], "900", T0, rule="engagement_rate_breakout",
                      score=5.0, found_at_connection=True)
        add_candidate(conn, accounts[1], "910", T0, found_at_connection=True)
        add_candidate(conn, accounts[1], "911", T0 + timedelta(hours=6))
    materialize(instance, "viral_candidates")
    first = tick(viral_alert_sensor, instance, db_url)
    raised = alerts(db_url)
    notices = [a for a in raised if a["rule"] == "found_at_connection"]
    live = [a for a in raised if a["rule"] != "found_at_connection"]
    assert [a["post_id"] for a in live] == [f"{accounts[1]['platform']}:911"]
    assert sorted(a["account_id"] for a in notices) == sorted(
        [accounts[0]["account_id"], accounts[1]["account_id"]])
    mine = next(a for a in notices if a["account_id"] == accounts[0]["account_id"])
    posts = [p["post_id"] for p in mine["payload"]["posts"]]
    platform = accounts[0]["platform"]
    assert posts == [f"{platform}:902", f"{platform}:901", f"{platform}:900"]  # by score
    assert mine["payload"]["post_count"] == 3 and mine["post_id"] == f"{platform}:902"
    assert {a["status"] for a in raised} == {"sent"}
    assert caplog.text.count("Found at connection: 3 post(s) by @") == 1

    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        add_candidate(conn, accounts[0], "903", T0 + timedelta(hours=7),
                      found_at_connection=True)
    materialize(instance, "viral_candidates")
    tick(viral_alert_sensor, instance, db_url, first.cursor)
    assert len(alerts(db_url)) == len(raised)


def test_viral_sensor_retries_a_failed_webhook_on_a_later_tick(db_url, accounts, alert_env,
                                                               instance, webhook):
    alert_env(alert_sinks="log,webhook", alert_webhook_url=webhook.url)
    webhook.respond(500)
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        create_contract_marts(conn)
        add_candidate(conn, accounts[0], "555", T0)
    materialize(instance, "viral_candidates")

    first = tick(viral_alert_sensor, instance, db_url)
    [alert] = alerts(db_url)
    assert alert["status"] == "pending" and alert["attempts"] == 1
    assert alert["next_attempt_at"] is not None and "HTTP 500" in alert["last_error"]
    assert "retry later 1" in first.skip_message

    # no new data: the tick only delivers what is due, and nothing is due yet
    early = tick(viral_alert_sensor, instance, db_url, first.cursor)
    assert early.skip_message.startswith("no new materialization") and len(webhook.received) == 1

    time.sleep(max(0, (alert["next_attempt_at"] - datetime.now(UTC)).total_seconds()) + 0.1)
    later = tick(viral_alert_sensor, instance, db_url, first.cursor)
    [alert] = alerts(db_url)
    assert alert["status"] == "sent" and alert["attempts"] == 2
    assert "delivered 1" in later.skip_message and len(webhook.delivered()) == 1


def test_negative_sentiment_sensor_watches_the_sentiment_marts(db_url, accounts, alert_env,
                                                               instance):
    alert_env(alert_sinks="log")
    steady, turning, _ = accounts
    end = T0
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        create_contract_marts(conn)
        add_comments(conn, steady, end - timedelta(days=8), 24 * 8, 1, 0.2, "s")
        add_comments(conn, turning, end - timedelta(days=8), 24 * 7, 1, 0.2, "t")
        add_comments(conn, turning, end - timedelta(hours=23), 23, 1, 0.75, "t-neg")

    assert tick(negative_sentiment_sensor, instance, db_url).skip_message.startswith(
        "no new materialization of comments, sentiment_daily")
    materialize(instance, "sentiment_daily")
    first = tick(negative_sentiment_sensor, instance, db_url)
    [alert] = alerts(db_url)
    assert alert["kind"] == "negative_sentiment_spike" and alert["status"] == "sent"
    assert alert["account_id"] == turning["account_id"]
    assert set(json.loads(first.cursor)["storage_ids"]) == {"sentiment_daily"}

    materialize(instance, "comments", "sentiment_daily")
    second = tick(negative_sentiment_sensor, instance, db_url, first.cursor)
    assert "raised 0 alert(s)" in second.skip_message and len(alerts(db_url)) == 1
    assert set(json.loads(second.cursor)["storage_ids"]) == {"comments", "sentiment_daily"}
