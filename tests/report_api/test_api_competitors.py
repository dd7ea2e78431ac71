"""Competitor analysis: range figures summed from competitor_benchmark (recomputed here from
marts.posts), the competitor gaps exactly the mart's columns, and the 1.x request names."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

GAPS = ("public_engagement_per_post_vs_competitor_avg", "engagement_rate_vs_competitor_avg")
PATH = "/api/analytics/competitor-analysis"


def _request(world, **extra) -> tuple[dict, list[int]]:
    """Owned X and Instagram accounts of workspace A1 against two of its competitors."""
    ws = world.workspaces_a[0]
    owned = world.query("select account_id from app.connected_accounts where workspace_id = %s "
                        "and not is_competitor and platform in ('twitter', 'instagram') "
                        "order by account_id", (ws,))
    rivals = world.query("select account_id, handle from app.connected_accounts where "
                         "workspace_id = %s and is_competitor and platform in "
                         "('twitter', 'instagram') order by account_id", (ws,))
    end = world.query("select max(created_at)::date as d from marts.posts")[0]["d"]
    start = end - timedelta(days=20)
    body = {"owned_account_ids": [o["account_id"] for o in owned],
            "competitor_handles": ["@" + rivals[0]["handle"], rivals[1]["handle"].upper()],
            "date_range": {"start": start.isoformat(), "end": end.isoformat()}, **extra}
    ids = [o["account_id"] for o in owned] + [x["account_id"] for x in rivals[:2]]
    return body, ids


def _expectation(world, account_ids, start, end) -> dict[int, dict]:
    """posts, public engagement of the mature posts, its rate, share of voice and the observed
    days of the range straight from marts.posts (every set here is readable: X, Instagram)."""
    rows = world.query(
        """
        with sets as (
            select a.account_id, a.workspace_id, a.platform, a.followers_observed_at
            from marts.accounts a
            where (a.workspace_id, a.platform) in (
                select workspace_id, platform from marts.accounts
                where account_id = any(%(ids)s))
        ),
        spans as (
            select s.account_id, (min(p.created_at) at time zone 'UTC')::date as first_day,
                   (greatest(max(p.metrics_observed_at), s.followers_observed_at)
                       at time zone 'UTC')::date as last_day
            from sets s join marts.posts p on p.account_id = s.account_id and not p.is_deleted
            group by s.account_id, s.followers_observed_at
        ),
        figures as (
            select s.account_id, s.workspace_id, s.platform, count(p.post_id) as posts,
                   coalesce(sum(p.public_engagement) filter (where p.is_mature), 0)
                       as public_engagement,
                   sum(p.public_engagement) filter (where p.is_mature
                                                    and p.followers_at_post > 0) as rated,
                   sum(p.followers_at_post) filter (where p.is_mature
                                                    and p.followers_at_post > 0
                                                    and p.public_engagement is not null)
                       as followers
            from sets s
            left join marts.posts p on p.account_id = s.account_id and not p.is_deleted
                 and (p.created_at at time zone 'UTC')::date between %(start)s and %(end)s
            group by 1, 2, 3
        )
        select f.account_id, f.posts, f.public_engagement,
               f.rated::float / nullif(f.followers, 0) as rate,
               f.public_engagement::float / nullif(sum(f.public_engagement) over (
                   partition by f.workspace_id, f.platform), 0) as share_of_voice,
               least(%(end)s::date, sp.last_day) - greatest(%(start)s::date, sp.first_day) + 1
                   as observed_days
        from figures f join spans sp using (account_id)
        """, {"ids": account_ids, "start": start, "end": end})
    return {r["account_id"]: r for r in rows if r["account_id"] in account_ids}


def _same(got, expected) -> None:
    assert (got is None) == (expected is None), (got, expected)
    if expected is not None:
        assert got == pytest.approx(expected)


def test_range_figures_equal_a_recomputation_from_the_posts(client, world, auth):
    body, ids = _request(world, metrics=["posts", "posting_frequency", "share_of_voice",
                                         "public_engagement", "engagement_rate"])
    # a range reaching back before the history: only its observed part counts as days
    end = date.fromisoformat(body["date_range"]["end"])
    body["date_range"]["start"] = (end - timedelta(days=40)).isoformat()
    r = client.post(PATH, headers=auth["admin_a"], json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    got = {a["account_id"]: a for a in out["accounts"]}
    assert set(got) == set(ids)
    start, end = (date.fromisoformat(body["date_range"][k]) for k in ("start", "end"))
    expected = _expectation(world, ids, start, end)
    assert set(expected) == set(ids)
    for account_id, e in expected.items():
        assert got[account_id]["benchmark_status"] == "comparable"
        m = got[account_id]["metrics"]
        assert m["posts"] == e["posts"] and m["public_engagement"] == e["public_engagement"]
        assert m["engagement"] == m["public_engagement"]  # deprecated name, same value
        # posts per observed day of the range, not per calendar day of it
        assert 0 < e["observed_days"] < (end - start).days + 1
        assert m["posting_frequency"] == pytest.approx(e["posts"] / e["observed_days"])
        _same(m["share_of_voice"], e["share_of_voice"])
        _same(m["engagement_rate"], e["rate"])
    assert any(a["metrics"]["engagement_rate"] is not None for a in out["accounts"])
    assert out["series"] and {s["account_id"] for s in out["series"]} <= set(ids)


def test_competitor_gaps_are_the_marts_columns(client, world, auth):
    body, ids = _request(world, grain="week")
    out = client.post(PATH, headers=auth["admin_a"], json=body).json()
    start = date.fromisoformat(body["date_range"]["start"])
    mart = {(r["account_id"], r["period_start"].isoformat()): r for r in world.query(
        f"select account_id, period_start, {', '.join(GAPS)} from marts.competitor_benchmark "
        "where period_grain = 'week' and account_id = any(%s) "
        "and period_start between date_trunc('week', %s::date)::date and %s",
        (ids, start, body["date_range"]["end"]))}
    assert {(s["account_id"], s["period_start"]) for s in out["series"]} == set(mart)
    for point in out["series"]:
        row = mart[(point["account_id"], point["period_start"])]
        for gap in GAPS:
            _same(point[gap], row[gap])
        assert point["engagement"] == point["public_engagement"]
        assert point["engagement_per_post"] == point["public_engagement_per_post"]
    owned = set(body["owned_account_ids"])
    assert any(p[GAPS[0]] is not None for p in out["series"] if p["account_id"] in owned)
    # the API computes no gaps of its own any more: the deprecated range-level ones are empty
    assert all(a["vs_competitor_avg"] is None for a in out["accounts"])
    assert out["competitor_average"] == []


def test_unreadable_competitors_are_not_available_never_zero(client, world, auth):
    """Facebook gives no posts of competitor Pages: such a competitor is not_available with null
    figures, and the owned Page, alone among readable members, has no share of voice or rank."""
    ws = world.workspaces_a[0]
    owned = world.query("select account_id from app.connected_accounts where workspace_id = %s "
                        "and not is_competitor and platform = 'facebook'", (ws,))
    rival = world.query("select account_id, handle from app.connected_accounts where "
                        "workspace_id = %s and is_competitor and platform = 'facebook' "
                        "order by account_id limit 1", (ws,))[0]
    end = world.query("select max(created_at)::date as d from marts.posts")[0]["d"]
    start = end - timedelta(days=20)
    body = {"owned_account_ids": [o["account_id"] for o in owned],
            "competitor_handles": [rival["handle"]], "grain": "week",
            "metrics": ["posts", "public_engagement", "share_of_voice", "posting_frequency"],
            "date_range": {"start": start.isoformat(), "end": end.isoformat()}}
    r = client.post(PATH, headers=auth["admin_a"], json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    got = {a["account_id"]: a for a in out["accounts"]}
    unread = got[rival["account_id"]]
    assert unread["benchmark_status"] == "not_available" and unread["benchmark_status_reason"]
    assert set(unread["metrics"].values()) == {None}
    own_posts = world.query(
        "select count(*) as n from marts.posts where account_id = any(%s) and not is_deleted "
        "and (created_at at time zone 'UTC')::date between %s and %s",
        ([o["account_id"] for o in owned], start, end))[0]["n"]
    assert own_posts > 0
    assert sum(got[o["account_id"]]["metrics"]["posts"] for o in owned) == own_posts
    if len(owned) == 1:
        assert got[owned[0]["account_id"]]["metrics"]["share_of_voice"] is None
    points = [p for p in out["series"] if p["account_id"] == rival["account_id"]]
    assert points and all(p["benchmark_status"] == "not_available" and p["posts"] is None
                          and p["public_engagement"] is None and p["engagement"] is None
                          and p["public_engagement_rank"] is None for p in points)
    assert all(p["public_engagement_rank"] is None for p in out["series"])


def test_the_1x_request_names_give_the_same_analysis(client, world, auth):
    body, _ = _request(world, metrics=["public_engagement", "public_engagement_per_post"])
    old = {"user_accounts": body["owned_account_ids"],
           "competitor_accounts": body["competitor_handles"],
           "metrics": ["engagement", "engagement_per_post"], "date_range": body["date_range"]}
    new_r = client.post(PATH, headers=auth["admin_a"], json=body)
    old_r = client.post(PATH, headers=auth["admin_a"], json=old)
    assert new_r.status_code == old_r.status_code == 200, (new_r.text, old_r.text)
    assert old_r.json() == new_r.json()
    for a in new_r.json()["accounts"]:
        m = a["metrics"]
        assert m["engagement_per_post"] == m["public_engagement_per_post"]
    both = client.post(PATH, headers=auth["admin_a"],
                       json={**body, "user_accounts": body["owned_account_ids"]})
    assert both.status_code == 422 and "user_accounts" in both.json()["error"]["message"]


def test_unknown_competitors_are_named_and_can_be_tracked(client, world, auth):
    ws = world.workspaces_a[0]
    body = {"owned_account_ids": world.accounts(ws)[:1],
            "competitor_handles": ["@brand_new_rival", "@Other_Co"],
            "date_range": {"start": "2026-10-01", "end": "2026-11-01"}}
    r = client.post(PATH, headers=auth["admin_a"], json=body)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "unknown_competitors"
    assert err["details"]["unknown_handles"] == ["brand_new_rival", "other_co"]
    assert err["details"]["field"] == "competitor_handles"
    viewer = client.post(PATH, headers=auth["viewer_a"], json={**body, "track": True})
    assert viewer.status_code == 403
    tracked = client.post(PATH, headers=auth["admin_a"], json={**body, "track": True})
    assert tracked.status_code == 202, tracked.text
    queued = tracked.json()["tracking_queued"]
    assert {q["handle"] for q in queued} == {"brand_new_rival", "other_co"}
    assert all(q["status"] == "pending" and q["request_id"] == q["competitor_id"]
               for q in queued)
    # the same path as POST /api/workspaces/{id}/competitors: listed there, pending
    rows = world.query("select competitor_id, handle, platform, status, requested_by from "
                       "app.competitors where workspace_id = %s and handle = any(%s)",
                       (ws, ["brand_new_rival", "other_co"]))
    assert {r["handle"] for r in rows} == {"brand_new_rival", "other_co"}
    assert all(r["status"] == "pending" and r["requested_by"] == world.users["admin_a"]
               for r in rows)
    listed = client.get(f"/api/workspaces/{ws}/competitors", headers=auth["admin_a"]).json()
    assert {r["competitor_id"] for r in rows} <= {c["competitor_id"] for c in listed["data"]}
    again = client.post(PATH, headers=auth["admin_a"], json={**body, "track": True})
    assert again.status_code == 202
    assert len(world.query("select 1 from app.competitors where workspace_id = %s and "
                           "handle = any(%s)", (ws, ["brand_new_rival", "other_co"]))) == 2
    for r in rows:  # leave the package's shared world as it was
        assert client.delete(f"/api/workspaces/{ws}/competitors/{r['competitor_id']}",
                             headers=auth["admin_a"]).status_code == 204
