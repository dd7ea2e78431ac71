"""Trending hashtags read hashtag_trends: the all-platform rows, or one platform's rows (its own
counts and velocity). Counts are recomputed here from the hashtags of marts.posts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

PATH = "/api/analytics/trending-hashtags"


def _hashtags_from_posts(world, workspaces, as_of: date, days: int, platform=None):
    return {r["hashtag"]: r for r in world.query(
        """
        select tag as hashtag, count(*) as posts, coalesce(sum(engagement), 0) as engagement
        from marts.posts, unnest(hashtags) as tag
        where workspace_id = any(%(ws)s) and not is_deleted
          and (%(platform)s::text is null or platform = %(platform)s)
          and (created_at at time zone 'UTC')::date between %(from)s and %(to)s
        group by tag
        """, {"ws": list(workspaces), "platform": platform,
              "from": as_of - timedelta(days=days - 1), "to": as_of})}


def _velocities(world, workspaces, as_of: date, platform) -> dict[str, float]:
    """The mart's velocity on as_of of the requested series (highest over the workspaces)."""
    return {r["hashtag"]: r["v"] for r in world.query(
        "select hashtag, max(velocity) as v from marts.hashtag_trends where workspace_id = "
        "any(%s) and metric_date = %s and platform is not distinct from %s group by hashtag",
        (list(workspaces), as_of, platform))}


@pytest.mark.parametrize("platform", [None, "twitter", "instagram"])
def test_trending_hashtags_match_the_posts_of_the_platform(client, world, auth, platform):
    params = {"window": 7, "limit": 100, **({"platform": platform} if platform else {})}
    r = client.get(PATH, headers=auth["admin_a"], params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    as_of = date.fromisoformat(body["as_of"])
    expected_as_of = world.query(
        "select max(metric_date) as d from marts.hashtag_trends where workspace_id = any(%s)",
        (world.workspaces_a,))[0]["d"]
    assert as_of == expected_as_of and body["platform"] == platform
    expected = _hashtags_from_posts(world, world.workspaces_a, as_of, 7, platform)
    got = {h["hashtag"]: h for h in body["hashtags"]}
    assert set(got) == set(expected) and got
    for tag, e in expected.items():
        assert got[tag]["posts"] == e["posts"] and got[tag]["engagement"] == e["engagement"]
    latest = _velocities(world, world.workspaces_a, as_of, platform)
    for tag, h in got.items():
        if latest.get(tag) is None:
            assert h["velocity"] is None
        else:
            assert h["velocity"] == pytest.approx(latest[tag])
    # tags with the trend minimum on as_of (a trending_rank) first, each group by velocity
    ranks = {r["hashtag"]: r["rank"] for r in world.query(
        "select hashtag, min(trending_rank) as rank from marts.hashtag_trends where "
        "workspace_id = any(%s) and metric_date = %s and platform is not distinct from %s "
        "group by hashtag", (world.workspaces_a, as_of, platform))}
    assert {h["hashtag"]: h["trending_rank"] for h in body["hashtags"]} == {
        tag: ranks.get(tag) for tag in got}
    ordered = [(h["trending_rank"] is None,
                -h["velocity"] if h["velocity"] is not None else float("inf"))
               for h in body["hashtags"]]
    assert ordered == sorted(ordered)
    small = client.get(PATH, headers=auth["admin_a"], params={**params, "limit": 2}).json()
    assert [h["hashtag"] for h in small["hashtags"]] == [h["hashtag"]
                                                          for h in body["hashtags"][:2]]


def test_each_platform_counts_only_its_own_posts(client, world, auth):
    """The per-platform counts partition the all-platform ones: no post counted twice, none
    borrowed from another platform."""
    h = auth["admin_a"]
    params = {"window": 30, "limit": 100}
    overall = {t["hashtag"]: t["posts"] for t in client.get(PATH, headers=h,
                                                           params=params).json()["hashtags"]}
    assert 0 < len(overall) < params["limit"]  # no tag cut off by the limit
    summed: dict[str, int] = {}
    for platform in ("twitter", "instagram", "facebook", "linkedin"):
        body = client.get(PATH, headers=h, params={**params, "platform": platform}).json()
        as_of = date.fromisoformat(body["as_of"])
        expected = _hashtags_from_posts(world, world.workspaces_a, as_of, 30, platform)
        assert {t["hashtag"]: t["posts"] for t in body["hashtags"]} == {
            tag: e["posts"] for tag, e in expected.items()}
        for t in body["hashtags"]:
            summed[t["hashtag"]] = summed.get(t["hashtag"], 0) + t["posts"]
    assert summed == overall
