"""Competitor analysis (marts.competitor_benchmark) and trending hashtags (hashtag_trends)."""

from socialpulse.reports.queries import BENCHMARK_RANGE_FIGURES

COMPETITOR_HANDLES = """
select account_id, workspace_id, platform, handle, display_name, is_competitor
from app.connected_accounts
where is_competitor and workspace_id = any(%(ws)s::bigint[])
  and platform = any(%(platforms)s::text[])
  and lower(handle) = any(%(handles)s::text[])
"""

# one row per requested account that the benchmark knows: its status and the range figures
# summed from the day grain (exact date range), every ratio a ratio of the sums the mart keeps:
# engagement rate = public engagement of the rated mature posts / their followers at posting,
# share of voice = public engagement / the comparable members' (workspace x platform). Posting
# frequency divides by the days of the range the account was observed (the day grain only has
# rows on days its set posted, so the observed span comes from observed_from/observed_until).
# not_available members (their platform gives no posts) have null figures, never 0.
COMPETITOR_SUMMARY = f"""
with members as (
    select distinct on (account_id)
        account_id, benchmark_status, benchmark_status_reason, observed_from, observed_until
    from marts.competitor_benchmark
    where workspace_id = any(%(ws)s::bigint[]) and account_id = any(%(ids)s::bigint[])
    order by account_id, period_start desc
),
figures as (
    select account_id,
{BENCHMARK_RANGE_FIGURES}
    from marts.competitor_benchmark
    where period_grain = 'day' and period_start between %(start)s and %(end)s
      and workspace_id = any(%(ws)s::bigint[]) and account_id = any(%(ids)s::bigint[])
    group by account_id
),
spans as (
    select account_id, benchmark_status = 'comparable' as is_comparable,
           -- (least and greatest skip nulls: an account never observed has no span)
           case when observed_from is not null and observed_until is not null then
               greatest(0, least(%(end)s::date, observed_until)
                           - greatest(%(start)s::date, observed_from) + 1)
           end as observed_days
    from members
)
select members.account_id, members.benchmark_status, members.benchmark_status_reason,
       case when s.is_comparable then s.observed_days end as observed_days,
       case when s.is_comparable then coalesce(f.posts, 0) end::bigint as posts,
       case when s.is_comparable then coalesce(f.public_engagement, 0) end::bigint
           as public_engagement,
       case when s.is_comparable then
           coalesce(f.posts, 0)::double precision / nullif(s.observed_days, 0)
       end as posting_frequency,
       f.public_engagement_per_post, f.engagement_rate, f.share_of_voice
from members
inner join spans as s using (account_id)
left join figures as f using (account_id)
"""

# the mart's rows at the requested grain, competitor gaps included (the mart computes them)
COMPETITOR_SERIES = """
select account_id, period_start, benchmark_status, benchmark_status_reason, observed_days,
       posts, mature_posts, public_engagement, posting_frequency,
       public_engagement_per_post, engagement_rate_by_followers as engagement_rate,
       share_of_voice, public_engagement_rank, public_engagement_percentile,
       public_engagement_per_post_vs_competitor_avg, engagement_rate_vs_competitor_avg
from marts.competitor_benchmark
where period_grain = %(grain)s
  and period_start between date_trunc(%(grain)s, %(start)s::date)::date and %(end)s
  and workspace_id = any(%(ws)s::bigint[]) and account_id = any(%(ids)s::bigint[])
order by account_id, period_start
"""

# as_of defaults to the latest day of the all-platform rows (the last complete day) of the
# workspaces in scope, so every filter shows the same window: one index probe per workspace
# (hashtag_trends' (workspace_id, metric_date) index read backwards), not every row.
_AS_OF = """
as_of as (
    select coalesce(%(as_of)s::date, max(latest.metric_date)) as d
    from unnest(%(ws)s::bigint[]) as scope (workspace_id)
    left join lateral (
        select t.metric_date from marts.hashtag_trends as t
        where t.workspace_id = scope.workspace_id and t.platform is null
        order by t.metric_date desc
        limit 1
    ) as latest on true
    where %(workspace_id)s::bigint is null or scope.workspace_id = %(workspace_id)s::bigint
)"""

# tags that reach the trend minimum on as_of (a trending_rank) come first, each group by
# velocity; then use and engagement (bare names in order by are the output columns; an
# expression needs the aggregate itself, hence {rank})
_TOP = """
group by hashtag
having sum(posts) > 0
order by {rank} is null, velocity desc nulls last, posts desc, engagement desc, hashtag
limit %(limit)s
"""

# one statement for every platform filter: hashtag_trends has a row per platform and a row
# with platform null over all platforms, each with the velocity of its own series. Any window
# length: the daily rows of the window.
TRENDING = f"""
with {_AS_OF},
win as (
    select t.* from marts.hashtag_trends as t, as_of
    where t.workspace_id = any(%(ws)s::bigint[])
      and (%(workspace_id)s::bigint is null or t.workspace_id = %(workspace_id)s::bigint)
      and (t.platform = %(platform)s::text
           or (%(platform)s::text is null and t.platform is null))
      and t.metric_date > as_of.d - %(days)s and t.metric_date <= as_of.d
)
select
    hashtag,
    sum(posts)::bigint as posts,
    sum(engagement)::bigint as engagement,
    max(velocity) filter (where metric_date = (select d from as_of)) as velocity,
    max(velocity) as peak_velocity,
    min(trending_rank) filter (where metric_date = (select d from as_of)) as trending_rank,
    (select d from as_of) as as_of
from win
{_TOP.format(rank="min(trending_rank) filter (where metric_date = (select d from as_of))")}"""

# the window hashtag_trends_windows is built for (dbt var hashtag_window_days; a test holds the
# two equal: tests/report_api/test_rollup_window_days.py)
ROLLUP_WINDOW_DAYS = 7

# the same answer for a window of ROLLUP_WINDOW_DAYS: one pre-summed row per workspace and tag
# ending on as_of (sums of the window's sums, the highest velocities, the best rank)
TRENDING_ROLLUP = f"""
with {_AS_OF},
win as (
    select w.* from marts.hashtag_trends_windows as w, as_of
    where w.workspace_id = any(%(ws)s::bigint[])
      and (%(workspace_id)s::bigint is null or w.workspace_id = %(workspace_id)s::bigint)
      and w.platform_key = coalesce(%(platform)s::text, '')
      and w.window_end = as_of.d
)
select
    hashtag,
    sum(posts)::bigint as posts,
    sum(engagement)::bigint as engagement,
    max(velocity) as velocity,
    max(peak_velocity) as peak_velocity,
    min(trending_rank) as trending_rank,
    (select d from as_of) as as_of
from win
{_TOP.format(rank="min(trending_rank)")}"""


def trending(days: int) -> str:
    """The trending statement for a window of ``days``: the rollup's when it has that window."""
    return TRENDING_ROLLUP if days == ROLLUP_WINDOW_DAYS else TRENDING
