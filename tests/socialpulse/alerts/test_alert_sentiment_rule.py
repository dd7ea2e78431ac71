"""The negative-sentiment spike rule on comment patterns with a known answer."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from alert_marts import add_comments, create_contract_marts, insert
from psycopg.rows import dict_row

from socialpulse.alerts import raise_sentiment_alerts

# 21:00 UTC: the follow-up check six hours later crosses midnight (cool-down, not the day key)
END = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
BASELINE_START = END - timedelta(days=8)
WINDOW_START = END - timedelta(hours=24)


def spike_alerts(db_url: str) -> list[dict]:
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        return conn.execute("select a.*, d.sinks from app.alerts a left join lateral ("
                            " select array_agg(sink) as sinks from app.alert_deliveries"
                            " where alert_id = a.alert_id) d on true"
                            " where kind = 'negative_sentiment_spike' order by alert_id"
                            ).fetchall()


def test_spike_fires_for_the_account_turning_negative_only(db_url, accounts, alert_env):
    settings = alert_env(alert_sinks="log")
    steady, turning, quiet = accounts
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        create_contract_marts(conn)
        # steady: 20 % negative for 8 days, one comment an hour
        add_comments(conn, steady, BASELINE_START, 24 * 8, 1, 0.20, "steady")
        # turning: the same 7 days, then 60 % negative in the last 24 h
        add_comments(conn, turning, BASELINE_START + timedelta(minutes=1), 24 * 7, 1, 0.20, "calm")
        add_comments(conn, turning, WINDOW_START + timedelta(minutes=1), 24, 1, 0.60, "angry")
        # quiet: every comment of the last day negative, but only 6 of them (below the minimum)
        add_comments(conn, quiet, BASELINE_START, 24 * 7, 0.1, 0.0, "q-calm")
        add_comments(conn, quiet, WINDOW_START + timedelta(minutes=1), 24, 0.25, 1.0, "q-angry")
        # anchor: the newest comment is at END for everyone
        add_comments(conn, steady, END, 0.01, 100, 0.0, "last")

        found = raise_sentiment_alerts(conn, settings, settings.sinks)
        again = raise_sentiment_alerts(conn, settings, settings.sinks)

    assert found.candidates == 2  # the quiet account is under the minimum volume
    [alert] = spike_alerts(db_url)
    assert found.alert_ids == [alert["alert_id"]] and again.alert_ids == []
    assert alert["account_id"] == turning["account_id"] and alert["post_id"] is None
    p = alert["payload"]
    assert (p["comments"], p["negative_comments"], p["baseline_comments"]) == (24, 14, 168)
    assert p["negative_share"] == pytest.approx(14 / 24, abs=1e-3)
    assert p["baseline_share"] == pytest.approx(34 / 168, abs=1e-3)
    assert p["lift"] >= 2 and alert["score"] >= 3 and p["handle"] == turning["handle"]
    assert len(p["negative_examples"]) == 3 and "awful" in p["negative_examples"][0]
    assert alert["dedupe_key"] == f"negative_sentiment_spike:{turning['account_id']}:2026-11-20"
    assert alert["sinks"] == ["log"] and alert["status"] == "pending"

    # six hours later (past midnight) the account is still negative: the cool-down holds
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        add_comments(conn, turning, END + timedelta(minutes=1), 6, 1, 0.8, "still-angry")
        assert raise_sentiment_alerts(conn, settings, settings.sinks).alert_ids == []


def comment(comment_id: str, account_id: int, workspace_id: int, at: datetime,
            label: str) -> dict:
    """A marts.comments row on one shared post."""
    return {"comment_id": comment_id, "post_id": "twitter:x", "platform": "twitter",
            "account_id": account_id, "workspace_id": workspace_id, "text": "c",
            "created_at": at, "sentiment_label": label}


def test_rule_rates_on_noisy_comment_streams(db_url, alert_env):
    """Tuning evidence: 60 steady accounts with binomial noise around a 20 % negative share,
    and 60 whose last day turns to 70 % negative (a crisis), ~1 comment an hour.
    The defaults must stay quiet on the first and catch nearly all of the second."""
    settings = alert_env(alert_sinks="log")
    rng = random.Random(20261124)
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        create_contract_marts(conn)
        agency = conn.execute("insert into app.agencies (name) values ('N') returning agency_id"
                              ).fetchone()["agency_id"]
        ws = conn.execute("insert into app.workspaces (agency_id, name, slug) values "
                          "(%s, 'W', 'w') returning workspace_id", (agency,)).fetchone()
        rows = []
        for n in range(120):
            acct = conn.execute(
                "insert into app.connected_accounts (workspace_id, platform, platform_account_id,"
                " handle, is_competitor) values (%s, 'twitter', %s, %s, true) returning account_id",
                (ws["workspace_id"], str(n), f"a{n}")).fetchone()["account_id"]
            t = BASELINE_START
            while t < END:
                p = 0.7 if n >= 60 and t > WINDOW_START else 0.2
                label = "negative" if rng.random() < p else "positive"
                rows.append(comment(f"{n}-{t.timestamp()}", acct, ws["workspace_id"], t,
                                    label))
                t += timedelta(minutes=rng.uniform(20, 100))
        rows.append(comment("end", acct, ws["workspace_id"], END, "positive"))
        insert(conn, "comments", rows)
        raise_sentiment_alerts(conn, settings, settings.sinks)
        fired = {r["handle"] for r in conn.execute(
            "select payload->>'handle' as handle from app.alerts").fetchall()}
    steady_fired = sum(f"a{n}" in fired for n in range(60))
    turning_fired = sum(f"a{n}" in fired for n in range(60, 120))
    assert steady_fired <= 1, f"{steady_fired} false alarms among 60 steady accounts"
    assert turning_fired >= 54, f"only {turning_fired} of 60 turning accounts caught"
