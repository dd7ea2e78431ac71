"""Instagram media whose insights come without ``shares`` (Graph leaves out a metric it has
no value of): raw and the marts keep shares null, and the rule ig_shares_unknown makes the
post's engagement unknown, so no rate counts the missing shares as 0. Expected figures are
recomputed here from the sandbox's ground truth (what the API reported)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import Sandbox
from tests.warehouse import Warehouse, warehouse

pytestmark = pytest.mark.slow
WORLD = {"workspaces_per_agency": 1, "competitors_per_workspace": 1, "posts_per_account": 12,
         "history_days": 4.0, "comments_per_post": 1.0, "ig_shares_unavailable_fraction": 0.4}


@pytest.fixture(scope="module")
def built(sandbox_server: str) -> Iterator[Warehouse]:
    with warehouse(Sandbox(sandbox_server), "sp_ig_shares") as wh:
        wh.connect_world(WORLD)
        wh.sync(platforms=["instagram"])
        wh.build("run", "--select", "+posts", "+account_posts_running", "+accounts")
        yield wh


def test_unknown_instagram_shares_stay_null_and_make_engagement_unknown(built):
    wh = built
    owned = {a["platform_account_id"] for a in wh.world["accounts"]
             if a["platform"] == "instagram" and not a["is_competitor"]}
    truth = {p["post_id"]: p for p in wh.sandbox.truth("posts", platform="instagram",
                                                       at=wh.sync_times[-1])
             if p["account_id"] in owned}
    raw = {r["media_id"]: r for r in wh.query(
        "select media_id, shares, reach from raw_meta.instagram_media_metric_snapshots")}
    posts = {r["platform_post_id"]: r for r in wh.query(
        "select * from marts.posts where platform = 'instagram' and not is_competitor")}
    assert posts and set(posts) <= set(truth)
    kinds = {"unknown": 0, "known": 0, "first_hour": 0}
    for post_id, row in posts.items():
        m, reported = truth[post_id]["metrics"], truth[post_id]["reported_insights"]
        assert (row["likes"], row["comments"]) == (m["likes"], m["comments"])
        if reported is None:  # the first hour: insights are late, not unknown
            kinds["first_hour"] += 1
            assert row["engagement"] == m["likes"] + m["comments"]
        elif reported["shares"] is None:
            kinds["unknown"] += 1
            assert raw[post_id]["shares"] is None and raw[post_id]["reach"] is not None
            assert (row["shares"], row["engagement"]) == (None, None)
            assert row["engagement_rate_by_followers"] is None
            assert row["engagement_rate_by_reach"] is None
        else:
            kinds["known"] += 1
            assert row["shares"] == reported["shares"]
            assert row["engagement"] == (m["likes"] + m["comments"] + reported["shares"]
                                         + reported["saves"])
    assert kinds["unknown"] and kinds["known"], kinds


def test_overview_avg_engagement_is_the_mean_over_posts_of_known_engagement(built):
    """A post of unknown engagement is left out of both sums of the overview's avg engagement
    (not counted as 0): the mean of the truth's engagement over the owned posts it is known of."""
    from report_api.queries.dashboard import OVERVIEW

    wh = built
    truth = {p["post_id"]: p for p in wh.sandbox.truth("posts", platform="instagram",
                                                       at=wh.sync_times[-1])}
    known: dict[int, list[int]] = {}
    unknown = 0
    for row in wh.query("select account_id, platform_post_id from marts.posts "
                        "where platform = 'instagram' and not is_competitor and not is_deleted"):
        m, reported = truth[row["platform_post_id"]]["metrics"], truth[
            row["platform_post_id"]]["reported_insights"]
        if reported is None:  # the first hour: likes + comments
            value = m["likes"] + m["comments"]
        elif reported["shares"] is None:
            unknown += 1
            continue
        else:
            value = m["likes"] + m["comments"] + reported["shares"] + reported["saves"]
        known.setdefault(row["account_id"], []).append(value)
    assert unknown and known
    ws = [r["workspace_id"] for r in wh.query("select workspace_id from app.workspaces")]
    rows = wh.query(OVERVIEW, {"ws": ws, "workspace_id": None, "platform": "instagram",
                               "include_competitors": False, "start": None, "end": None})
    total = next(r for r in rows if r["is_total"])
    every = [v for values in known.values() for v in values]
    assert total["avg_engagement"] == pytest.approx(sum(every) / len(every))
    assert total["total_engagement"] == sum(every)
    assert total["posts_count"] == len(every) + unknown
    for r in rows:
        if not r["is_total"] and r["account_id"] in known:
            values = known[r["account_id"]]
            assert r["avg_engagement"] == pytest.approx(sum(values) / len(values))
