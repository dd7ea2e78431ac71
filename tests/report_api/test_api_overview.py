"""The dashboard overview sums marts.account_posts_daily; every figure is recomputed here from
marts.posts independently (sum of engagement, engagement rate as a ratio of sums)."""

from __future__ import annotations

from datetime import timedelta

import pytest


def _owned_figures(world, workspaces, start=None, end=None) -> dict[int, dict]:
    rows = world.query(
        """
        select a.account_id, count(p.post_id) as posts, count(p.engagement) as known_posts,
               coalesce(sum(p.engagement), 0) as engagement,
               sum(p.engagement) filter (where p.engagement_rate_by_followers is not null)
                   as rated_engagement,
               sum(p.followers_at_post) filter (where p.engagement_rate_by_followers is not null)
                   as rated_followers
        from marts.accounts a
        left join marts.posts p on p.account_id = a.account_id and not p.is_deleted
             and (%(start)s::date is null or (p.created_at at time zone 'UTC')::date >= %(start)s)
             and (%(end)s::date is null or (p.created_at at time zone 'UTC')::date <= %(end)s)
        where a.workspace_id = any(%(ws)s) and not a.is_competitor
        group by a.account_id
        """, {"ws": list(workspaces), "start": start, "end": end})
    return {r["account_id"]: r for r in rows}


def _ratio(numerator, denominator) -> float | None:
    return float(numerator) / float(denominator) if denominator else None


def _assert_rate(got: float | None, expected: float | None) -> None:
    assert (got is None) == (expected is None), (got, expected)
    if expected is not None:
        assert got == pytest.approx(expected)


def test_overview_equals_a_recomputation_from_the_posts(client, world, auth):
    r = client.get("/api/dashboard/overview", headers=auth["admin_a"])
    assert r.status_code == 200, r.text
    body = r.json()
    expected = _owned_figures(world, world.workspaces_a)
    assert {a["account_id"] for a in body["accounts"]} == set(expected)
    assert {a["workspace_id"] for a in body["accounts"]} == set(world.workspaces_a)
    for a in body["accounts"]:
        e = expected[a["account_id"]]
        assert a["posts_count"] == e["posts"] and a["total_engagement"] == e["engagement"]
        # a post of unknown engagement (null) is in neither sum of the mean
        assert a["avg_engagement"] == (pytest.approx(_ratio(e["engagement"], e["known_posts"]))
                                       if e["known_posts"] else None)
        _assert_rate(a["engagement_rate"], _ratio(e["rated_engagement"], e["rated_followers"]))
    assert body["total_posts"] == sum(e["posts"] for e in expected.values()) > 0
    assert any(a["engagement_rate"] is not None for a in body["accounts"])
    assert body["total_engagement"] == sum(e["engagement"] for e in expected.values())
    assert body["avg_engagement"] == pytest.approx(
        body["total_engagement"] / sum(e["known_posts"] for e in expected.values()))
    # the total rate is the ratio of the sums over every account, not a mean of their rates
    total_rated = sum(e["rated_engagement"] or 0 for e in expected.values())
    total_followers = sum(e["rated_followers"] or 0 for e in expected.values())
    _assert_rate(body["engagement_rate"], _ratio(total_rated, total_followers))
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
    for a in body["accounts"]:
        e = expected[a["account_id"]]
        assert a["total_engagement"] == e["engagement"]
        _assert_rate(a["engagement_rate"], _ratio(e["rated_engagement"], e["rated_followers"]))
    assert body["start_date"] == start.isoformat()
    twitter = client.get("/api/dashboard/overview", headers=auth["viewer_a"],
                         params={"platform": "twitter", "include_competitors": "true"}).json()
    assert twitter["accounts"] and all(a["platform"] == "twitter" for a in twitter["accounts"])
    assert any(a["is_competitor"] for a in twitter["accounts"])
