"""The rollups the overview and trending read (account_posts_running, hashtag_trends_windows)
recomputed here from marts.posts and the daily hashtag_trends rows, and the API's statements on
them equal to sums over the daily rows for any range, window end and filter."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest

from report_api.queries import analytics, dashboard

SUMS = ("posts", "engagement", "followers_at_post_sum", "engagement_of_rated_posts")

# the overview as it was before the running sums: account_posts_daily summed over the range
DAILY_OVERVIEW = """
with acc as (
    select account_id, workspace_id, platform, handle, display_name, is_competitor,
           followers_count
    from marts.accounts
    where workspace_id = any(%(ws)s::bigint[])
      and (%(workspace_id)s::bigint is null or workspace_id = %(workspace_id)s::bigint)
      and (%(platform)s::text is null or platform = %(platform)s::text)
      and (%(include_competitors)s or not is_competitor)
),
daily as (
    select d.account_id, d.posts, d.engagement, d.followers_at_post_sum,
           d.engagement_of_rated_posts
    from marts.account_posts_daily as d
    inner join acc using (account_id)
    where (%(start)s::date is null or d.metric_date >= %(start)s::date)
      and (%(end)s::date is null or d.metric_date <= %(end)s::date)
)
select
    grouping(acc.account_id) = 1 as is_total,
    acc.account_id, acc.workspace_id, acc.platform, acc.handle, acc.display_name,
    acc.is_competitor, acc.followers_count,
    coalesce(sum(daily.posts), 0)::bigint as posts_count,
    coalesce(sum(daily.engagement), 0)::bigint as total_engagement,
    (sum(daily.engagement)::double precision / nullif(sum(daily.posts), 0)) as avg_engagement,
    (sum(daily.engagement_of_rated_posts)::double precision
        / nullif(sum(daily.followers_at_post_sum), 0)) as engagement_rate
from acc
left join daily using (account_id)
group by grouping sets ((acc.account_id, acc.workspace_id, acc.platform, acc.handle,
                         acc.display_name, acc.is_competitor, acc.followers_count), ())
order by is_total desc, acc.workspace_id, acc.account_id
"""


def test_account_posts_running_sums_each_accounts_posts_up_to_the_day(world):
    posts = world.query(
        "select account_id, (created_at at time zone 'UTC')::date as day, engagement, "
        "public_engagement, followers_at_post from marts.posts where not is_deleted")
    days: dict[int, dict[date, dict]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for p in posts:
        day = days[p["account_id"]][p["day"]]
        day["posts"] += 1
        day["engagement"] += p["engagement"] or 0
        day["public_engagement"] += p["public_engagement"] or 0
        if p["engagement"] is not None and (p["followers_at_post"] or 0) > 0:  # rated
            day["rated_posts"] += 1
            day["followers_at_post_sum"] += p["followers_at_post"]
            day["engagement_of_rated_posts"] += p["engagement"]
    expected = {}
    for account, by_day in days.items():
        running: dict[str, int] = defaultdict(int)
        for day in sorted(by_day):
            for figure, value in by_day[day].items():
                running[figure] += value
            expected[(account, day)] = {f: running[f] for f in (*SUMS, "public_engagement",
                                                                "rated_posts")}
    rows = world.query("select * from marts.account_posts_running")
    got = {(r["account_id"], r["metric_date"]): {f: r[f] for f in expected[next(iter(expected))]}
           for r in rows}
    assert got == expected and len(got) > 20


@pytest.mark.parametrize("offsets", [(None, None), (0, None), (None, 0), (-3, -1), (-1, -1),
                                     (1, 5), (-400, -300), (-2, 0)])
def test_overview_reads_the_sums_of_the_daily_rows_over_any_range(world, offsets):
    last = world.query("select max(metric_date) as d from marts.account_posts_daily")[0]["d"]
    start, end = (None if o is None else last + timedelta(days=o) for o in offsets)
    for ws, platform, competitors in ((world.workspaces_a, None, False),
                                      (world.workspaces_a + world.workspaces_b, "twitter", True),
                                      (world.workspaces_b[:1], None, True)):
        params = {"ws": ws, "workspace_id": None, "platform": platform,
                  "include_competitors": competitors, "start": start, "end": end}
        assert world.query(dashboard.OVERVIEW, params) == world.query(DAILY_OVERVIEW, params)


def test_hashtag_windows_are_the_daily_rows_of_each_window(world):
    """Sums, the velocity and rank of the window's last day and its highest velocity, for every
    window end of a series and the window's length after its last day."""
    days = analytics.ROLLUP_WINDOW_DAYS
    series: dict[tuple, dict[date, dict]] = defaultdict(dict)
    for r in world.query("select * from marts.hashtag_trends"):
        series[(r["workspace_id"], r["platform"] or "", r["hashtag"])][r["metric_date"]] = r
    expected = {}
    for key, rows in series.items():
        end = min(rows)
        while end <= max(rows) + timedelta(days=days - 1):
            window = [rows[d] for d in rows if end - timedelta(days=days) < d <= end]
            velocities = [r["velocity"] for r in window if r["velocity"] is not None]
            today = rows.get(end, {})
            expected[(*key, end)] = (
                sum(r["posts"] for r in window), sum(r["engagement"] for r in window),
                today.get("velocity"), max(velocities) if velocities else None,
                today.get("trending_rank"))
            end += timedelta(days=1)
    got = {(r["workspace_id"], r["platform_key"], r["hashtag"], r["window_end"]): (
        r["posts"], r["engagement"], r["velocity"], r["peak_velocity"], r["trending_rank"])
        for r in world.query("select * from marts.hashtag_trends_windows")}
    assert got == expected and len(got) > 50


def test_trending_rollup_equals_the_daily_rows_for_any_as_of(world):
    last = world.query("select max(metric_date) as d from marts.hashtag_trends")[0]["d"]
    first = world.query("select min(metric_date) as d from marts.hashtag_trends")[0]["d"]
    days = analytics.ROLLUP_WINDOW_DAYS
    assert analytics.trending(days) is analytics.TRENDING_ROLLUP
    assert analytics.trending(days + 1) is analytics.TRENDING
    checked = 0
    for as_of in (None, last, last - timedelta(days=2), last + timedelta(days=3),
                  last + timedelta(days=days + 1), first, first - timedelta(days=1)):
        for platform in (None, "twitter", "instagram", "linkedin"):
            for ws, workspace_id in ((world.workspaces_a, None),
                                     (world.workspaces_a, world.workspaces_a[1]),
                                     (world.workspaces_a + world.workspaces_b, None)):
                params = {"ws": ws, "workspace_id": workspace_id, "platform": platform,
                          "days": days, "limit": 100, "as_of": as_of}
                rows = world.query(analytics.TRENDING_ROLLUP, params)
                assert rows == world.query(analytics.TRENDING, params), (as_of, platform)
                checked += len(rows)
    assert checked > 100
