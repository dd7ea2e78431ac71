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

# one statement for every platform filter: hashtag_trends has a row per platform and a row
# with platform null over all platforms, each with the velocity of its own series. as_of
# defaults to the latest day of the all-platform rows (the last complete day), so every filter
# shows the same window. Tags that reach the trend minimum on as_of (a trending_rank) come first,
# each group by velocity.
TRENDING = """
with scoped as (
    select platform, hashtag, metric_date, posts, engagement, velocity, trending_rank
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
    min(trending_rank) filter (where metric_date = (select d from as_of)) as trending_rank,
    (select d from as_of) as as_of
from win
group by hashtag
having sum(posts) > 0
order by min(trending_rank) filter (where metric_date = (select d from as_of)) is null,
         velocity desc nulls last, posts desc, engagement desc, hashtag
limit %(limit)s
"""
