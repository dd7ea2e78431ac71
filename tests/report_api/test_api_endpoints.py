"""Happy paths of every endpoint, each figure recomputed from the marts independently."""

from __future__ import annotations

from datetime import date, timedelta

import pytest


def _owned_figures(world, workspaces, start=None, end=None) -> dict[int, dict]:
    rows = world.query(
        """
        select a.account_id::bigint as account_id, count(p.post_key) as posts,
               coalesce(sum(p.engagement), 0) as engagement,
               avg(p.engagement_rate_by_followers) as rate
        from marts.accounts a
        left join marts.posts p on p.account_id = a.account_id and not p.is_deleted
             and (%(start)s::date is null or (p.created_at at time zone 'UTC')::date >= %(start)s)
             and (%(end)s::date is null or (p.created_at at time zone 'UTC')::date <= %(end)s)
        where a.workspace_id = any(%(ws)s) and not a.is_competitor
        group by a.account_id
        """, {"ws": [str(w) for w in workspaces], "start": start, "end": end})
    return {r["account_id"]: r for r in rows}


def test_overview_matches_the_marts(client, world, auth):
    r = client.get("/api/dashboard/overview", headers=auth["admin_a"])
    assert r.status_code == 200, r.text
    body = r.json()
    expected = _owned_figures(world, world.workspaces_a)
    assert {a["account_id"] for a in body["accounts"]} == set(expected)
    assert {a["workspace_id"] for a in body["accounts"]} == set(world.workspaces_a)
    for a in body["accounts"]:
        e = expected[a["account_id"]]
        assert a["posts_count"] == e["posts"] and a["total_engagement"] == e["engagement"]
        if e["posts"]:
            assert a["avg_engagement"] == pytest.approx(float(e["engagement"]) / e["posts"])
        assert (a["engagement_rate"] is None) == (e["rate"] is None)
        if e["rate"] is not None:
            assert a["engagement_rate"] == pytest.approx(float(e["rate"]))
    assert body["total_posts"] == sum(e["posts"] for e in expected.values()) > 0
    assert body["total_engagement"] == sum(e["engagement"] for e in expected.values())
    assert r.headers["x-ratelimit-limit"] and r.headers["x-cache"] == "off"


def test_overview_date_range_platform_and_viewer_scope(client, world, auth):
    last = world.query("select max(created_at)::date as d from marts.posts")[0]["d"]
    start, end = last - timedelta(days=5), last
    r = client.get("/api/dashboard/overview", headers=auth["viewer_a"],
                   params={"start_date": start.isoformat(), "end_date": end.isoformat()})
    assert r.status_code == 200, r.text
    body = r.json()
    expected = _owned_figures(world, world.workspaces_a[:1], start, end)
    assert {a["account_id"] for a in body["accounts"]} == set(expected)
    assert body["total_posts"] == sum(e["posts"] for e in expected.values())
    assert body["start_date"] == start.isoformat()
    twitter = client.get("/api/dashboard/overview", headers=auth["viewer_a"],
                         params={"platform": "twitter", "include_competitors": "true"}).json()
    assert twitter["accounts"] and all(a["platform"] == "twitter" for a in twitter["accounts"])
    assert any(a["is_competitor"] for a in twitter["accounts"])


def _all_post_keys(world, account_id) -> list[dict]:
    return world.query(
        "select post_key, engagement, engagement_rate_by_followers, created_at "
        "from marts.posts where account_id = %s and not is_deleted", (str(account_id),))


@pytest.mark.parametrize("sort,column", [("created_at", "created_at"),
                                         ("engagement", "engagement"),
                                         ("engagement_rate", "engagement_rate_by_followers")])
def test_posts_keyset_pages_cover_the_account_in_order(client, world, auth, sort, column):
    account = world.accounts(world.workspaces_a[0])[0]
    expected = _all_post_keys(world, account)
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 5, "sort": sort, **({"cursor": cursor} if cursor else {})}
        r = client.get(f"/api/posts/{account}", headers=auth["admin_a"], params=params)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["posts"]) <= 5
        seen.extend(page["posts"])
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    keys = [p["id"] for p in seen]
    assert len(keys) == len(set(keys)) == len(expected) and pages >= 2
    assert set(keys) == {e["post_key"] for e in expected}
    by_key = {e["post_key"]: e for e in expected}
    values = [(by_key[k][column] if by_key[k][column] is not None else -1) for k in keys]
    assert values == sorted(values, reverse=True)
    for p in seen:
        e = by_key[p["id"]]
        assert p["engagement"]["total"] == e["engagement"]


def test_posts_offset_defaults_and_limits(client, world, auth):
    account = world.accounts(world.workspaces_a[0])[1]
    h = auth["admin_a"]
    default = client.get(f"/api/posts/{account}", headers=h).json()
    assert default["limit"] == 20 and default["sort"] == "created_at"
    first = client.get(f"/api/posts/{account}", headers=h, params={"limit": 3}).json()
    second = client.get(f"/api/posts/{account}", headers=h,
                        params={"limit": 3, "offset": 3}).json()
    by_cursor = client.get(f"/api/posts/{account}", headers=h,
                           params={"limit": 3, "cursor": first["next_cursor"]}).json()
    assert [p["id"] for p in second["posts"]] == [p["id"] for p in by_cursor["posts"]]
    asc = client.get(f"/api/posts/{account}", headers=h, params={"order": "asc"}).json()
    stamps = [p["created_at"] for p in asc["posts"]]
    assert stamps == sorted(stamps)
    for params, field in (({"limit": 101}, "limit"), ({"limit": 0}, "limit"),
                          ({"sort": "likes"}, "sort"), ({"cursor": "abc"}, "cursor"),
                          ({"cursor": first["next_cursor"], "sort": "engagement"}, "cursor"),
                          ({"cursor": first["next_cursor"], "offset": 3}, "offset")):
        r = client.get(f"/api/posts/{account}", headers=h, params=params)
        assert r.status_code == 422, (params, r.text)
        assert field in r.json()["error"]["message"]


def _competitor_expectation(world, account_ids, start, end) -> dict[int, dict]:
    """posts, posting frequency and share of voice straight from marts.posts."""
    rows = world.query(
        """
        with sets as (
            select a.account_id, a.workspace_id, a.platform from marts.accounts a
            where (a.workspace_id, a.platform) in (
                select workspace_id, platform from marts.accounts
                where account_id = any(%(ids)s))
        ),
        figures as (
            select s.account_id, s.workspace_id, s.platform, count(p.post_key) as posts,
                   coalesce(sum(p.public_engagement), 0) as engagement
            from sets s
            left join marts.posts p on p.account_id = s.account_id and not p.is_deleted
                 and (p.created_at at time zone 'UTC')::date between %(start)s and %(end)s
            group by 1, 2, 3
        )
        , shares as (
            select *, engagement::float / nullif(sum(engagement) over (
                       partition by workspace_id, platform), 0) as share_of_voice
            from figures
        )
        select account_id::bigint as account_id, posts, engagement, share_of_voice
        from shares where account_id = any(%(ids)s)
        """, {"ids": [str(a) for a in account_ids], "start": start, "end": end})
    return {r["account_id"]: r for r in rows}


def test_competitor_analysis_from_the_benchmark_mart(client, world, auth):
    ws = world.workspaces_a[0]
    owned = world.query("select account_id, platform from app.connected_accounts where "
                        "workspace_id = %s and not is_competitor and platform in "
                        "('twitter', 'instagram') order by account_id", (ws,))
    rivals = world.query("select account_id, handle from app.connected_accounts where "
                         "workspace_id = %s and is_competitor and platform in "
                         "('twitter', 'instagram') order by account_id", (ws,))
    end = world.query("select max(created_at)::date as d from marts.posts")[0]["d"]
    start = end - timedelta(days=20)
    body = {"user_accounts": [o["account_id"] for o in owned],
            "competitor_accounts": ["@" + rivals[0]["handle"], rivals[1]["handle"].upper()],
            "metrics": ["posts", "posting_frequency", "share_of_voice", "engagement",
                        "engagement_rate"],
            "date_range": {"start": start.isoformat(), "end": end.isoformat()}}
    r = client.post("/api/analytics/competitor-analysis", headers=auth["admin_a"], json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    got = {a["account_id"]: a for a in out["accounts"]}
    ids = [o["account_id"] for o in owned] + [x["account_id"] for x in rivals[:2]]
    assert set(got) == set(ids)
    expected = _competitor_expectation(world, ids, start, end)
    days = (end - start).days + 1
    for account_id, e in expected.items():
        m = got[account_id]["metrics"]
        assert m["posts"] == e["posts"] and m["engagement"] == e["engagement"]
        assert m["posting_frequency"] == pytest.approx(e["posts"] / days)
        if e["share_of_voice"] is None:
            assert m["share_of_voice"] is None
        else:
            assert m["share_of_voice"] == pytest.approx(e["share_of_voice"])
    owned_rows = [a for a in out["accounts"] if not a["is_competitor"]]
    assert owned_rows and all(a["vs_competitor_avg"] is not None for a in owned_rows)
    assert out["series"] and {s["account_id"] for s in out["series"]} <= set(ids)


def test_unknown_competitors_are_named_and_can_be_tracked(client, world, auth):
    ws = world.workspaces_a[0]
    owned = world.accounts(ws)[:1]
    body = {"user_accounts": owned, "competitor_accounts": ["@brand_new_rival", "@Other.Co"],
            "date_range": {"start": "2026-10-01", "end": "2026-11-01"}}
    r = client.post("/api/analytics/competitor-analysis", headers=auth["admin_a"], json=body)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "unknown_competitors"
    assert err["details"]["unknown_handles"] == ["brand_new_rival", "other.co"]
    viewer = client.post("/api/analytics/competitor-analysis", headers=auth["viewer_a"],
                         json={**body, "track": True})
    assert viewer.status_code == 403
    tracked = client.post("/api/analytics/competitor-analysis", headers=auth["admin_a"],
                          json={**body, "track": True})
    assert tracked.status_code == 202, tracked.text
    queued = tracked.json()["tracking_queued"]
    assert {q["handle"] for q in queued} == {"brand_new_rival", "other.co"}
    rows = world.query("select handle, platform, status, requested_by from "
                       "app.competitor_tracking_requests where workspace_id = %s", (ws,))
    assert {r["handle"] for r in rows} == {"brand_new_rival", "other.co"}
    assert all(r["status"] == "pending" and r["requested_by"] == world.users["admin_a"]
               for r in rows)
    again = client.post("/api/analytics/competitor-analysis", headers=auth["admin_a"],
                        json={**body, "track": True})
    assert again.status_code == 202
    assert len(world.query("select 1 from app.competitor_tracking_requests")) == len(rows)


def _hashtags_from_posts(world, workspaces, as_of: date, days: int, platform=None):
    return {r["hashtag"]: r for r in world.query(
        """
        select tag as hashtag, count(*) as posts, coalesce(sum(engagement), 0) as engagement
        from marts.posts, unnest(hashtags) as tag
        where workspace_id = any(%(ws)s) and not is_deleted
          and (%(platform)s::text is null or platform = %(platform)s)
          and (created_at at time zone 'UTC')::date between %(from)s and %(to)s
        group by tag
        """, {"ws": [str(w) for w in workspaces], "platform": platform,
              "from": as_of - timedelta(days=days - 1), "to": as_of})}


@pytest.mark.parametrize("platform", [None, "instagram"])
def test_trending_hashtags_match_the_marts(client, world, auth, platform):
    params = {"window": 7, "limit": 100, **({"platform": platform} if platform else {})}
    r = client.get("/api/analytics/trending-hashtags", headers=auth["admin_a"], params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    as_of = date.fromisoformat(body["as_of"])
    expected_as_of = world.query(
        "select max(metric_date) as d from marts.hashtag_trends where workspace_id = any(%s)",
        ([str(w) for w in world.workspaces_a],))[0]["d"]
    assert as_of == expected_as_of
    expected = _hashtags_from_posts(world, world.workspaces_a, as_of, 7, platform)
    got = {h["hashtag"]: h for h in body["hashtags"]}
    assert set(got) == set(expected) and got
    for tag, e in expected.items():
        assert got[tag]["posts"] == e["posts"] and got[tag]["engagement"] == e["engagement"]
    latest = {r["hashtag"]: r["v"] for r in world.query(
        "select hashtag, max(velocity) as v from marts.hashtag_trends where workspace_id = "
        "any(%s) and metric_date = %s group by hashtag",
        ([str(w) for w in world.workspaces_a], as_of))}
    for tag, h in got.items():
        assert h["velocity"] == pytest.approx(latest.get(tag)) if latest.get(tag) is not None \
            else h["velocity"] is None
    ordered = [h["velocity"] if h["velocity"] is not None else float("-inf")
               for h in body["hashtags"]]
    assert ordered == sorted(ordered, reverse=True)
    small = client.get("/api/analytics/trending-hashtags", headers=auth["admin_a"],
                       params={**params, "limit": 2}).json()
    assert [h["hashtag"] for h in small["hashtags"]] == [h["hashtag"]
                                                          for h in body["hashtags"][:2]]


def test_alerts_list_filter_and_acknowledge(client, world, auth):
    h = auth["admin_a"]
    listed = client.get("/api/alerts", headers=h).json()["alerts"]
    assert {a["alert_id"] for a in listed} == {world.alerts["a1"], world.alerts["a2"]}
    failed = client.get("/api/alerts", headers=h, params={"status": "failed"}).json()["alerts"]
    assert [a["alert_id"] for a in failed] == [world.alerts["a2"]]
    viral = client.get("/api/alerts", headers=h, params={"kind": "viral_post"}).json()
    assert [a["alert_id"] for a in viral["alerts"]] == [world.alerts["a1"]]
    page = client.get("/api/alerts", headers=h, params={"limit": 1}).json()
    rest = client.get("/api/alerts", headers=h,
                      params={"limit": 1, "cursor": page["next_cursor"]}).json()
    assert len(page["alerts"]) == len(rest["alerts"]) == 1
    assert page["alerts"][0]["alert_id"] > rest["alerts"][0]["alert_id"]
    viewer = client.get("/api/alerts", headers=auth["viewer_a"]).json()["alerts"]
    assert [a["alert_id"] for a in viewer] == [world.alerts["a1"]]
    denied = client.post(f"/api/alerts/{world.alerts['a1']}/ack", headers=auth["viewer_a"])
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
    acked = client.post(f"/api/alerts/{world.alerts['a2']}/ack", headers=h)
    assert acked.status_code == 200, acked.text
    first = acked.json()
    assert first["acknowledged_by_user_id"] == world.users["admin_a"]
    second = client.post(f"/api/alerts/{world.alerts['a2']}/ack", headers=h).json()
    assert second["acknowledged_at"] == first["acknowledged_at"]
    unacked = client.get("/api/alerts", headers=h, params={"acknowledged": "false"}).json()
    assert [a["alert_id"] for a in unacked["alerts"]] == [world.alerts["a1"]]


def test_healthz_needs_no_token(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok", "redis": "not_configured"}


def test_openapi_lists_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/auth/token", "/api/dashboard/overview", "/api/posts/{account_id}",
                 "/api/analytics/competitor-analysis", "/api/analytics/trending-hashtags",
                 "/api/reports", "/api/reports/{report_id}", "/api/reports/{report_id}/download",
                 "/api/alerts", "/api/alerts/{alert_id}/ack", "/healthz"):
        assert path in paths
