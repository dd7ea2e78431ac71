"""Competitors added by handle through the API are looked up by the next cycle's first step:
a real one is tracked and its posts reach marts.posts in that same cycle (the sandbox's own
posts of that account), an unknown handle is not_found, and LinkedIn and Facebook competitors
are not_available with the reason, never tracked with zero posts."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient

from tests.conftest import Sandbox
from tests.report_api.api_helpers import settings, token
from tests.warehouse import Warehouse, warehouse

WORLD = {"workspaces_per_agency": 2, "competitors_per_workspace": 1, "posts_per_account": 6,
         "history_days": 4.0, "comments_per_post": 1.0}


@pytest.fixture(scope="module")
def tracked_world(sandbox_server: str) -> Iterator[tuple[Warehouse, TestClient, dict, dict]]:
    """Workspace A's sandbox competitors are left out of the seed: they are added by handle."""
    from report_api.main import create_app
    from report_api.users import create_user

    with warehouse(Sandbox(sandbox_server), "sp_comp_cycle") as wh:
        world = wh.connect_world(WORLD)
        ws_a, ws_b = (r["workspace_id"] for r in wh.query(
            "select workspace_id from app.workspaces order by workspace_id"))
        with psycopg.connect(wh.url) as conn:
            conn.execute("delete from app.competitors where workspace_id = %s", (ws_a,))
            conn.execute("delete from app.connected_accounts where workspace_id = %s "
                         "and is_competitor", (ws_a,))
            agency = conn.execute("select agency_id from app.workspaces where "
                                  "workspace_id = %s", (ws_a,)).fetchone()[0]
        with psycopg.connect(wh.url, row_factory=psycopg.rows.dict_row) as conn:
            admin = create_user(conn, "admin@example.test", "admin-password-1",
                                "agency_admin", agency, [])
        keys = [w["workspace_key"] for w in world["workspaces"]]
        rivals = {a["platform"]: a for a in world["accounts"]
                  if a["is_competitor"] and a["workspace_key"] == keys[0]}
        other_org = next(a for a in world["accounts"] if a["platform"] == "linkedin"
                         and a["workspace_key"] == keys[1])
        headers = {"Authorization": f"Bearer {token(admin.user_id)}"}
        with TestClient(create_app(settings(), database_url=wh.url)) as client:
            added = {}
            for name, platform, given in (
                    ("x", "twitter", f"https://x.com/{rivals['twitter']['handle']}"),
                    ("instagram", "instagram", f"@{rivals['instagram']['handle']}"),
                    ("facebook", "facebook",
                     f"https://www.facebook.com/{rivals['facebook']['handle']}"),
                    ("linkedin", "linkedin",
                     f"https://www.linkedin.com/company/{other_org['handle']}"),
                    ("x_unknown", "twitter", "@nobody_here_1"),
                    ("ig_unknown", "instagram", "nobody.here"),
                    ("li_unknown", "linkedin", "linkedin.com/company/nobody-here")):
                r = client.post(f"/api/workspaces/{ws_a}/competitors", headers=headers,
                                json={"platform": platform, "handle_or_url": given})
                assert r.status_code == 202 and r.json()["status"] == "pending", r.text
                added[name] = r.json()["competitor_id"]
            from dagster_project.cycle import run_cycle

            result = run_cycle(wh.url)
            listed = client.get(f"/api/workspaces/{ws_a}/competitors", headers=headers)
            assert listed.status_code == 200
            by_id = {c["competitor_id"]: c for c in listed.json()["data"]}
            yield wh, {k: by_id[v] for k, v in added.items()}, rivals, result


def test_a_real_handle_is_tracked_and_its_posts_reach_the_marts(tracked_world):
    wh, competitors, rivals, _ = tracked_world
    for name, platform in (("x", "twitter"), ("instagram", "instagram")):
        c = competitors[name]
        assert c["status"] == "tracked", c
        assert c["platform_account_id"] == rivals[platform]["platform_account_id"]
        truth = {p["post_id"] for p in wh.sandbox.truth(
            "posts", platform=platform, account_id=c["platform_account_id"])
            if p["is_visible"] and not p["is_retweet"]}
        marts = {r["platform_post_id"] for r in wh.query(
            "select platform_post_id from marts.posts where account_id = %s "
            "and not is_deleted", (c["account_id"],))}
        assert truth and marts == truth, (name, truth ^ marts)
        account = wh.query("select is_competitor from marts.accounts where account_id = %s",
                           (c["account_id"],))
        assert account == [{"is_competitor": True}]


def test_tracked_competitors_say_which_token_read_them(tracked_world):
    wh, competitors, _, _ = tracked_world
    state = {r["account_id"]: r for r in wh.query(
        "select ss.account_id, ss.credential_kind, lender.is_competitor as lender_competitor, "
        "lender.workspace_id = ca.workspace_id as same_workspace, "
        "lender.platform = ca.platform as same_platform from app.sync_state ss "
        "join app.connected_accounts ca using (account_id) "
        "left join app.connected_accounts lender on lender.account_id = ss.credential_account_id")}
    assert state[competitors["x"]["account_id"]]["credential_kind"] == "app"
    ig = state[competitors["instagram"]["account_id"]]
    assert (ig["credential_kind"], ig["lender_competitor"], ig["same_workspace"],
            ig["same_platform"]) == ("borrowed", False, True, True)
    # and the API's list says so
    assert (competitors["x"]["read_with"], competitors["instagram"]["read_with"]) == (
        "app", "borrowed")
    assert competitors["x"]["last_success_at"] and competitors["instagram"]["last_success_at"]


def test_unknown_handles_are_not_found(tracked_world):
    _, competitors, _, _ = tracked_world
    for name, words in (("x_unknown", "X has no user @nobody_here_1"),
                        ("ig_unknown", "no professional account @nobody.here"),
                        ("li_unknown", "no organization with the vanity name 'nobody-here'")):
        c = competitors[name]
        assert (c["status"], c["account_id"]) == ("not_found", None), c
        assert words in c["reason"]


def test_linkedin_and_facebook_competitors_are_not_available_with_the_reason(tracked_world):
    wh, competitors, _, _ = tracked_world
    li, fb = competitors["linkedin"], competitors["facebook"]
    assert (li["status"], li["account_id"]) == ("not_available", None)
    assert "organizations you do not administer" in li["reason"]
    assert (fb["status"], fb["account_id"]) == ("not_available", None)
    assert "Page Public Content Access" in fb["reason"]
    # Graph's own words, so the fix can be looked up (no PPCA for the sandbox's app by default)
    assert ("(#10) This endpoint requires the 'pages_read_engagement' permission or the "
            "'Page Public Content Access' feature") in fb["reason"]
    # nothing was connected for them: no competitor account with zero posts
    assert wh.query("select 1 from app.connected_accounts where is_competitor and "
                    "platform in ('linkedin', 'facebook') and workspace_id = (select "
                    "min(workspace_id) from app.workspaces)") == []


def test_the_cycle_with_the_lookups_succeeds(tracked_world):
    *_, result = tracked_world
    assert result["success"], result["errors"]
    assert any(k.startswith("twitter:") for k in result["account_steps"])
