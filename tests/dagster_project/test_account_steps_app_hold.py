"""An app's own limit met by one account's step holds every account of that app: the cycle's
later steps (each account is its own) make no call until the limit lifts, and say why."""

from __future__ import annotations

from datetime import UTC, datetime

from dagster_project.defs.ingestion.partitions import partition_key
from dagster_project.defs.ingestion.steps import sync_account
from tests.dlt_sources.shared import connect_world, q

# the Meta app's limit (#4) is spent during the world's first half hour
THROTTLED = {"workspaces_per_agency": 2, "posts_per_account": 4, "competitors_per_workspace": 1,
             "meta_app_throttled_minutes": 30}


def _meta_keys(world: dict) -> list[str]:
    return [partition_key(a["platform"], a["platform_account_id"]) for a in world["accounts"]
            if a["platform"] in ("facebook", "instagram")]


def test_the_first_step_meets_the_app_limit_and_the_others_make_no_call(db_url, sandbox):
    world = connect_world(sandbox, db_url, THROTTLED)
    keys = _meta_keys(world)
    assert len(keys) >= 4
    sandbox.clear_requests()
    results = [sync_account("meta", key, db_url) for key in keys]
    assert len(sandbox.requests("meta")) == 1  # the first step's call, refused with (#4)
    first, rest = results[0]["outcome"], [r["outcome"] for r in results[1:]]
    assert not first["ok"] and not first["skipped"] and "(#4)" in first["error"]
    assert all(o["skipped"] and "app's own limit" in o["error"] for o in rest), rest
    holds = q(db_url, "select ca.platform, ss.next_retry_at, ss.retry_reason from "
                      "app.sync_state ss join app.connected_accounts ca using (account_id) "
                      "where ca.platform in ('facebook', 'instagram')")
    connected = q(db_url, "select count(*) as n from app.connected_accounts "
                          "where platform in ('facebook', 'instagram')")[0]["n"]
    assert len(holds) == connected
    assert {h["next_retry_at"] for h in holds} == {datetime(2026, 11, 1, 13, tzinfo=UTC)}
    # other apps' accounts are not held
    assert not q(db_url, "select 1 from app.sync_state ss join app.connected_accounts ca "
                         "using (account_id) where ca.platform = 'twitter' "
                         "and ss.next_retry_at is not null")

    sandbox.advance(2 * 3600)  # past the limit and the hour it was held for
    again = [sync_account("meta", key, db_url)["outcome"] for key in keys]
    assert all(o["ok"] for o in again), again
    assert not q(db_url, "select 1 from app.sync_state where next_retry_at is not null")
