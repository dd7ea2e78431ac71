"""Competitor analysis (marts.competitor_benchmark) and trending hashtags (hashtag_trends)."""

from socialpulse.reports.queries import BENCHMARK_RANGE_FIGURES

COMPETITOR_HANDLES = """
select account_id, workspace_id, platform, handle, display_name, is_competitor
from app.connected_accounts
where is_competitor and workspace_id = any(%(ws)s::bigint[])
  and platform = any(%(platforms)s::text[])
  and lower(handle) = any(%(handles)s::text[])
"""

# the range figures summed from the day grain (exact date range), every ratio a ratio of the
# sums the mart keeps: posting frequency = posts / days, engagement rate = public engagement of
# the rated posts / their followers at posting, share of voice = public engagement / the
# competitive set's (workspace x platform; every account has a row for each set day)
COMPETITOR_SUMMARY = f"""
select
    account_id, workspace_id, platform,
    (sum(posts)::double precision / (%(end)s::date - %(start)s::date + 1)) as posting_frequency,
{BENCHMARK_RANGE_FIGURES}
from marts.competitor_benchmark
where period_grain = 'day' and period_start between %(start)s and %(end)s
  and workspace_id = any(%(ws)s::bigint[]) and account_id = any(%(ids)s::bigint[])
group by account_id, workspace_id, platform
"""

# the mart's rows at the requested grain, competitor gaps included (the mart computes them)
COMPETITOR_SERIES = """
select account_id, period_start, posts, public_engagement, posting_frequency,
       public_engagement_per_post, engagement_rate_by_followers as engagement_rate,
       share_of_voice, public_engagement_rank, public_engagement_percentile,
       public_engagement_per_post_vs_competitor_avg, engagement_rate_vs_competitor_avg
from marts.competitor_benchmark
where period_grain = %(grain)s
  and period_start between date_trunc(%(grain)s, %(start)s::date)::date and %(end)s
  and workspace_id = any(%(ws)s::bigint[]) and account_id = any(%(ids)s::bigint[])
order by account_id, period_start
"""

# one statement for every platform filter: hashtag_trends has a row per platform and a row
# with platform null over all platforms, each with the velocity of its own series. as_of
# defaults to the latest day of the all-platform rows, so every filter shows the same window.
TRENDING = """
with scoped as (
    select platform, hashtag, metric_date, posts, engagement, velocity
    from marts.hashtag_trends
    where workspace_id = any(%(ws)s::bigint[])
      and (%(workspace_id)s::bigint is null or workspace_id = %(workspace_id)s::bigint)
),
as_of as (
    select coalesce(%(as_of)s::date, max(metric_date)) as d
    from scoped where platform is null
),
win as (
    select scoped.* from scoped, as_of
    where (scoped.platform = %(platform)s::text
           or (%(platform)s::text is null and scoped.platform is null))
      and scoped.metric_date > as_of.d - %(days)s and scoped.metric_date <= as_of.d
)
select
    hashtag,
    sum(posts)::bigint as posts,
    sum(engagement)::bigint as engagement,
    max(velocity) filter (where metric_date = (select d from as_of)) as velocity,
    max(velocity) as peak_velocity,
    (select d from as_of) as as_of
from win
group by hashtag
having sum(posts) > 0
order by velocity desc nulls last, posts desc, engagement desc, hashtag
limit %(limit)s
"""
