"""With Page Public Content Access (the sandbox app feature, and META_PAGE_PUBLIC_CONTENT_ACCESS
declared), a Facebook competitor added by handle is tracked after one cycle: its public posts
reach marts.posts with the figures the sandbox's ground truth gives (reactions as likes,
comments, shares with an omitted object as 0; no insights), and the competitor benchmark
compares it instead of saying not_available."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC

import psycopg
import pytest
from psycopg.rows import dict_row

from dlt_sources.meta.capabilities import PPCA_ENV
from socialpulse import competitors
from tests.conftest import Sandbox
from tests.warehouse import Warehouse, warehouse

# one whole cycle (sync, checks, sentiment, dbt build) in the module fixture: on a loaded
# 2-core machine that is longer than the default per-test timeout
pytestmark = pytest.mark.timeout(1800)
WORLD = {"workspaces_per_agency": 1, "competitors_per_workspace": 1, "posts_per_account": 6,
         "history_days": 4.0, "comments_per_post": 1.0}


@pytest.fixture(scope="module")
def cycled(sandbox_server: str) -> Iterator[tuple[Warehouse, dict, dict, dict]]:
    """The world's Facebook competitor is left out of the seed and added by handle."""
    from dagster_project.cycle import run_cycle

    before = os.environ.get(PPCA_ENV)
    os.environ[PPCA_ENV] = "true"
    try:
        with warehouse(Sandbox(sandbox_server), "sp_ppca_cycle") as wh:
            world = wh.connect_world(WORLD)
            wh.sandbox.http.post("/_sandbox/apps/meta/features", json={
                "feature": "page_public_content_access"}).raise_for_status()
            rival = next(a for a in world["accounts"] if a["platform"] == "facebook"
                         and a["is_competitor"])
            with psycopg.connect(wh.url, row_factory=dict_row) as conn:
                conn.execute("delete from app.competitors where platform = 'facebook'")
                conn.execute("delete from app.connected_accounts where platform = 'facebook' "
                             "and is_competitor")
                ws = conn.execute("select min(workspace_id) as w from app.workspaces"
                                  ).fetchone()["w"]
                cid = competitors.add(conn, ws, "facebook",
                                      f"https://www.facebook.com/{rival['handle']}")
                cid = cid["competitor_id"]
            result = run_cycle(wh.url)
            [competitor] = wh.query("select * from app.competitors where competitor_id = %s",
                                    (cid,))
            yield wh, rival, competitor, result
    finally:
        if before is None:
            os.environ.pop(PPCA_ENV, None)
        else:
            os.environ[PPCA_ENV] = before


def test_the_cycle_succeeds_and_tracks_the_page(cycled):
    _, rival, competitor, result = cycled
    assert result["success"], result["errors"]
    assert (competitor["status"], competitor["reason"]) == ("tracked", None)
    assert competitor["account_id"] is not None


def test_its_public_posts_reach_the_marts_with_the_truths_figures(cycled):
    wh, rival, competitor, _ = cycled
    rows = {r["platform_post_id"]: r for r in wh.query(
        "select * from marts.posts where account_id = %s", (competitor["account_id"],))}
    visible = {p["post_id"] for p in wh.sandbox.truth(
        "posts", platform="facebook", account_id=rival["platform_account_id"])
        if p["is_visible"] and not p["is_malformed"]}
    assert visible and set(rows) == visible
    for post_id, row in rows.items():
        at = row["metrics_observed_at"].astimezone(UTC).isoformat()
        [truth] = [p for p in wh.sandbox.truth("posts", at=at, platform="facebook",
                                               account_id=rival["platform_account_id"])
                   if p["post_id"] == post_id]
        m = truth["metrics"]
        assert (row["likes"], row["comments"], row["shares"]) == (
            m["likes"], m["comments"], m["shares"]), post_id
        assert row["engagement"] == row["public_engagement"] == (
            m["likes"] + m["comments"] + m["shares"])
        # Page Public Content Access shows no insights of a Page one does not manage
        assert (row["reach"], row["views"], row["clicks"]) == (None, None, None)
        assert row["is_competitor"] is True
    # no insights were asked for the competitor's posts, and every read carried the proof
    reads = [r for r in wh.sandbox.requests()
             if rival["platform_account_id"] in r["path"] + str(r["query"].get("ids", ""))]
    assert reads and all("insights" not in str(r["query"].get("fields", "")) for r in reads)
    assert all("appsecret_proof" in r["query"] for r in reads)


def test_the_benchmark_compares_it(cycled):
    wh, _, competitor, _ = cycled
    rows = wh.query("select distinct benchmark_status, benchmark_status_reason from "
                    "marts.competitor_benchmark where account_id = %s",
                    (competitor["account_id"],))
    assert rows and all(r["benchmark_status"] != "not_available" for r in rows), rows
    assert all(r["benchmark_status_reason"] is None for r in rows)
    # and when the set has a mature post, its public engagement is counted, not null
    figures = wh.query("select sum(posts) as posts from marts.competitor_benchmark where "
                       "account_id = %s and period_grain = 'month'", (competitor["account_id"],))
    assert figures[0]["posts"] and figures[0]["posts"] > 0
