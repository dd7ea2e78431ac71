"""End to end on a known world: sandbox -> dlt sync -> dbt build -> viral_alert_sensor.

The expected alerts come from the sandbox's ground truth (``is_viral``, ``viral_at``), not
from the mart: every viral post that took off before the last sync, once, and nothing else.
Facebook competitor pages are left out of the truth: the Graph API gives only their public page
fields, so no post of theirs is ever loaded (dlt_sources/meta/README.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import dagster as dg
import psycopg
import pytest
from psycopg.rows import dict_row

from dagster_project.defs.alerting import AlertsResource, viral_alert_sensor
from dlt_sources.runner import sync
from socialpulse.transform import run_dbt

pytestmark = pytest.mark.slow
SMALL_WORLD = {"workspaces_per_agency": 1, "competitors_per_workspace": 2, "viral_fraction": 0.05}


def fresh_world(sandbox, connected, db_url: str, monkeypatch, **config) -> None:
    """Reset the sandbox to a small world and connect exactly its accounts."""
    from socialpulse.seed import source_secrets_env

    sandbox.reset(config={**SMALL_WORLD, **config})
    world = sandbox.world()
    for key, value in source_secrets_env(world).items():
        monkeypatch.setenv(key, value)
    with psycopg.connect(db_url) as conn:
        conn.execute("delete from app.agencies")  # cascades to the default world's accounts
    connected(world)


def load(sandbox, db_url: str) -> datetime:
    """Sync every account, build viral_candidates, posts and everything upstream (with their
    dbt tests); returns the simulated time of the sync."""
    now = datetime.fromisoformat(sandbox.world()["now"])
    sync(url=db_url)
    run_dbt(["build", "--select", "+viral_candidates", "+posts",
             "--indirect-selection", "cautious"], db_url)
    return now


def viral_truth(sandbox, at: datetime) -> dict[str, datetime]:
    """post_id -> viral_at of the truth's viral posts published by ``at`` whose metrics the
    platforms expose."""
    competitors = {(a["platform"], a["platform_account_id"])
                   for a in sandbox.world()["accounts"] if a["is_competitor"]}
    return {f"{p['platform']}:{p['post_id']}": datetime.fromisoformat(p["viral_at"])
            for p in sandbox.truth("posts", at=at.isoformat())
            if p["is_viral"] and not (p["platform"] == "facebook"
                                      and (p["platform"], p["account_id"]) in competitors)}


def expected_viral(sandbox, at: datetime) -> set[str]:
    """post_ids of the viral posts that took off by ``at``."""
    return {key for key, viral_at in viral_truth(sandbox, at).items() if viral_at <= at}


def alert_posts(db_url: str) -> list[dict]:
    with psycopg.connect(db_url, row_factory=dict_row) as conn:
        return conn.execute("select alert_id, post_id, rule, status, payload from app.alerts "
                            "where kind = 'viral_post' order by alert_id").fetchall()


def run_tick(instance, db_url: str, cursor: str | None):
    instance.report_runless_asset_event(dg.AssetMaterialization(asset_key="viral_candidates"))
    context = dg.build_sensor_context(instance=instance, cursor=cursor,
                                      resources={"alerts": AlertsResource(database_url=db_url)})
    return viral_alert_sensor.evaluate_tick(context)


def _split(alerts: list[dict]) -> tuple[list[dict], list[dict]]:
    """(live viral alerts, found-at-connection notices)."""
    notices = [a for a in alerts if a["rule"] == "found_at_connection"]
    return [a for a in alerts if a["rule"] != "found_at_connection"], notices


def _noticed(notices: list[dict]) -> set[str]:
    return {p["post_id"] for a in notices for p in a["payload"]["posts"]}


def test_alerts_for_exactly_the_viral_posts_once_each(sandbox, connected, db_url, alert_env,
                                                     monkeypatch):
    """Posts that took off before the connection come as one notice per account; every later
    takeoff as a live alert, once per (post, rule)."""
    alert_env(alert_sinks="log")
    fresh_world(sandbox, connected, db_url, monkeypatch)
    with dg.instance_for_test() as instance:
        t0 = load(sandbox, db_url)
        first = run_tick(instance, db_url, None)
        before = alert_posts(db_url)
        live, notices = _split(before)
        expected_t0 = expected_viral(sandbox, t0)
        assert expected_t0 and live == [] and _noticed(notices) == expected_t0
        accounts = [a["payload"]["handle"] for a in notices]
        assert len(accounts) == len(set(accounts))  # at most one notice per account
        assert sum(a["payload"]["post_count"] for a in notices) == len(expected_t0)
        assert {a["status"] for a in before} == {"sent"}

        # move the clock past the next takeoff (plus 2 h to let it grow) and load again
        upcoming = sorted(viral_at for viral_at in
                          viral_truth(sandbox, t0 + timedelta(days=4)).values() if viral_at > t0)
        sandbox.advance((upcoming[0] - t0).total_seconds() + 2 * 3600)
        t1 = load(sandbox, db_url)
        second = run_tick(instance, db_url, first.cursor)
        after = alert_posts(db_url)
        live, notices_after = _split(after)
        expected_t1 = expected_viral(sandbox, t1)

        assert len(expected_t1) > len(expected_t0)
        assert {a["post_id"] for a in live} == expected_t1 - expected_t0
        assert notices_after == [{**a, "status": "sent"} for a in notices]
        # the first tick's alerts are untouched; each (post, rule) alerted once
        assert after[:len(before)] == [{**a, "status": "sent"} for a in before]
        assert len({(a["post_id"], a["rule"]) for a in after}) == len(after)
        assert "raised" in second.skip_message

        # ticking again, or rebuilding the same data, adds nothing
        run_tick(instance, db_url, second.cursor)
        assert len(alert_posts(db_url)) == len(after)
    sample = live[-1]["payload"]
    assert sample["handle"] and sample["text_excerpt"] and sample["metric_value"] > 0


def test_a_calm_world_raises_no_alert(sandbox, connected, db_url, alert_env, monkeypatch):
    alert_env(alert_sinks="log")
    fresh_world(sandbox, connected, db_url, monkeypatch, viral_fraction=0.0)
    load(sandbox, db_url)
    sandbox.advance(12 * 3600)
    load(sandbox, db_url)
    with dg.instance_for_test() as instance:
        result = run_tick(instance, db_url, None)
    assert alert_posts(db_url) == []
    assert result.skip_message == "raised 0 alert(s)"
