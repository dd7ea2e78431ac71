"""Engagement over time and follower history against the sandbox's ground truth, on a world no
test tunes on (seed 29), connected fresh: what posts had gained before their first observation
is booked on their publication day (backfill), so the connection day shows no spike; followers
and growth exist for every day the platform keeps history (Instagram 30 days, Facebook Pages,
LinkedIn), from the connection on for X and competitors.

Expected figures come from the truth endpoints at the sync times; only which posts the marts
hold (and whether an X response carried bookmarks) is read back from the warehouse.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, time

import pytest

from tests.conftest import Sandbox
from tests.dbt_project.test_dbt_marts import _engagement, _truth_posts, _ts
from tests.warehouse import Warehouse, warehouse

pytestmark = pytest.mark.slow
WORLD = {"seed": 29, "workspaces_per_agency": 1, "posts_per_account": 16,
         "competitors_per_workspace": 1, "history_days": 10.0, "comments_per_post": 0.5}
# connection at 12:00, a sync at 22:00 the same day, the next one two days later
SYNC_GAPS_H = (10, 48)
HISTORY_PLATFORMS = ("instagram", "facebook", "linkedin")


@pytest.fixture(scope="module")
def built(sandbox_server: str) -> Iterator[Warehouse]:
    # every post read at every sync (the expected figures below assume it): what the polls'
    # ageing changes is tested with the sources
    with pytest.MonkeyPatch.context() as env, \
            warehouse(Sandbox(sandbox_server), "sp_test_history") as wh:
        for source in ("TWITTER", "META", "LINKEDIN"):
            env.setenv(f"SOURCES__{source}__POLL_SCHEDULE", "28d:0s")
        wh.connect_world(WORLD)
        wh.sync()
        for hours in SYNC_GAPS_H:
            wh.sandbox.advance(hours * 3600)
            wh.sync()
        assert wh.build().success
        yield wh


def _syncs(wh: Warehouse) -> list[datetime]:
    return sorted(_ts(t) for t in wh.sync_times)


def _followers_at(wh: Warehouse, at: datetime) -> dict[tuple[str, str], int]:
    return {(a["platform"], a["platform_account_id"]): a["followers"]
            for a in wh.sandbox.truth("accounts", at=at.astimezone(UTC).isoformat())}


def _expected_followers(wh: Warehouse, days: set[date]):
    """(followers, followers_source) of an account and day, from the truth."""
    syncs = _syncs(wh)
    at_sync = {s: _followers_at(wh, s) for s in syncs}
    end_of = {d: _followers_at(wh, datetime.combine(d, time(23, 59, 59), UTC))
              for d in days if d < syncs[0].date()}

    def expected(account: dict, day: date) -> tuple[int | None, str]:
        key = (account["platform"], account["platform_account_id"])
        seen = [s for s in syncs if s.date() <= day]
        if seen:
            source = "snapshot" if seen[-1].date() == day else "carried_forward"
            return at_sync[seen[-1]][key], source
        if account["platform"] in HISTORY_PLATFORMS and not account["is_competitor"]:
            return end_of[day][key], "platform_history"
        return None, "not_available"

    return expected


def test_daily_engagement_equals_truth_with_backfill(built):
    """Per account-day: each post's engagement at its first observation on its publication
    day, then the change between the days' last observations. Tolerance 0: late Meta insights
    land on the day they are first reported, and the recomputation reads what the API
    reported at each observation."""
    syncs = _syncs(built)
    truth_at = {s: _truth_posts(built, s) for s in syncs}
    saves = {r["post_id"]: r["has_saves"] for r in built.query(
        "select post_id, saves is not null as has_saves from marts.posts")}
    expected: dict[tuple[int, date], int] = defaultdict(int)
    final_total = defaultdict(int)
    for acct in built.query("select * from marts.accounts"):
        if acct["platform"] == "facebook" and acct["is_competitor"]:
            continue  # competitor Pages expose no posts
        for post_id, post in truth_at[syncs[-1]].items():
            if (post["platform"], post["account_id"]) != (acct["platform"],
                                                          acct["platform_account_id"]):
                continue
            created = _ts(post["created_at"])
            seen = [s for s in syncs if s >= created and truth_at[s][post_id]["is_visible"]]
            if not seen:
                continue
            value = {s: _engagement(acct["platform"], truth_at[s][post_id],
                                    acct["is_competitor"], saves.get(post_id, True))
                     for s in seen}
            last_of_day = {s.date(): s for s in seen}
            previous = 0
            if created.date() < seen[0].date():  # backfill
                expected[(acct["account_id"], created.date())] += value[seen[0]]
                previous = value[seen[0]]
            for day in sorted(last_of_day):
                expected[(acct["account_id"], day)] += value[last_of_day[day]] - previous
                previous = value[last_of_day[day]]
            final_total[acct["account_id"]] += previous
    rows = built.query("select * from marts.account_metrics_daily")
    got = {(r["account_id"], r["metric_date"]): r["engagement"] for r in rows}
    mismatches = [(k, got.get(k), v) for k, v in expected.items() if got.get(k, 0) != v]
    mismatches += [(k, v, 0) for k, v in got.items() if v and k not in expected]
    assert not mismatches, mismatches[:10]
    assert len(expected) > 50
    # nothing lost: the days add up to each account's engagement at the last sync
    by_account = defaultdict(int)
    for (account_id, _), v in got.items():
        by_account[account_id] += v
    assert {k: v for k, v in by_account.items() if v} == {
        k: v for k, v in final_total.items() if v}
    # no first-sync spike: the connection day holds only what came after the first sync
    connection = syncs[0].date()
    first_day = sum(v for (_, d), v in got.items() if d == connection)
    assert first_day < 0.2 * sum(got.values())


def test_backfill_rows_are_the_publication_day_of_posts_seen_later(built):
    rows = built.query(
        "select d.post_id, d.metric_date, d.observed_at, p.created_at from "
        "marts.post_metrics_daily as d join marts.posts as p using (post_id) "
        "where d.is_backfilled")
    syncs = _syncs(built)
    assert sum(r["created_at"] < syncs[0] for r in rows) > 10  # the history seen at connection
    for r in rows:
        observed = r["observed_at"].astimezone(UTC)
        assert r["metric_date"] == r["created_at"].astimezone(UTC).date() < observed.date()
        # the first sync after publication
        assert observed == min(s for s in syncs if s >= r["created_at"])


def test_followers_and_growth_per_day_equal_truth(built):
    rows = built.query("select m.*, a.is_competitor from marts.account_metrics_daily as m "
                       "join marts.accounts as a using (account_id) "
                       "order by account_id, metric_date")
    expected = _expected_followers(built, {r["metric_date"] for r in rows})
    previous: dict[int, int | None] = {}
    sources = defaultdict(set)
    for r in rows:
        followers, source = expected(r, r["metric_date"])
        assert (r["followers"], r["followers_source"]) == (followers, source), r
        before = previous.get(r["account_id"])
        growth = followers - before if followers is not None and before is not None else None
        assert r["follower_growth"] == growth, r
        previous[r["account_id"]] = followers
        sources[(r["platform"], r["is_competitor"])].add(source)
    # the platforms' history reaches back before connection for owned Instagram, Facebook and
    # LinkedIn accounts; X and competitors start at connection
    for platform in HISTORY_PLATFORMS:
        assert "platform_history" in sources[(platform, False)], platform
    assert "platform_history" not in sources[("twitter", False)] | sources[("instagram", True)]
    assert "not_available" in sources[("twitter", False)]
    assert "carried_forward" in sources[("twitter", False)]
    ig_history = [r for r in rows if r["platform"] == "instagram" and not r["is_competitor"]
                  and r["followers_source"] == "platform_history"]
    assert len({r["metric_date"] for r in ig_history}) <= 30  # Instagram keeps 30 days


def test_followers_at_post_are_those_of_the_posts_day(built):
    posts = built.query("select p.*, a.is_competitor as comp from marts.posts as p "
                        "join marts.accounts as a using (account_id) "
                        "where p.followers_at_post is not null")
    expected = _expected_followers(built, {p["created_at"].astimezone(UTC).date()
                                           for p in posts})
    first = _syncs(built)[0]
    first_counts = _followers_at(built, first)
    checked = defaultdict(int)
    for p in posts:
        account = {"platform": p["platform"], "platform_account_id": p["platform_account_id"],
                   "is_competitor": p["comp"]}
        followers, _ = expected(account, p["created_at"].astimezone(UTC).date())
        if followers is None:  # no count of that day: the first one known
            followers = first_counts[(p["platform"], p["platform_account_id"])]
        assert p["followers_at_post"] == followers, p["post_id"]
        if p["engagement"] is not None:
            assert p["engagement_rate_by_followers"] == pytest.approx(
                p["engagement"] / followers)
        checked[p["platform"]] += 1
    assert set(checked) == {"twitter", "instagram", "facebook", "linkedin"}


def test_a_second_build_changes_no_figure(built):
    before = built.query("select account_id, metric_date, followers, follower_growth, "
                         "engagement from marts.account_metrics_daily order by 1, 2")
    assert built.build("build", "--select", "+account_metrics_daily").success
    assert built.query("select account_id, metric_date, followers, follower_growth, "
                       "engagement from marts.account_metrics_daily order by 1, 2") == before
