"""SQL of report assembly: claiming queued requests, reading the marts, storing the result.

Run by the Dagster report job; the API only inserts requests and serves finished artifacts.
"""

from __future__ import annotations

CLAIM_REPORT = """
update app.report_requests
set status = 'running', started_at = now(), dagster_run_id = %(run_id)s
where report_id = %(report_id)s and status = 'queued'
returning report_id, workspace_id, report_type, start_date, end_date, account_ids, created_at
"""

FINISH_REPORT = """
update app.report_requests
set status = 'done', finished_at = now(), result_json = %(result_json)s,
    result_pdf = %(result_pdf)s, failure_reason = null
where report_id = %(report_id)s
"""

FAIL_REPORT = """
update app.report_requests
set status = 'failed', finished_at = now(), failure_reason = %(reason)s
where report_id = %(report_id)s and status in ('queued', 'running')
"""

QUEUED_REPORTS = """
select report_id, report_type, created_at
from app.report_requests
where status = 'queued'
order by created_at
limit %(limit)s
"""

# a run that died without recording an outcome leaves its request running forever
EXPIRE_STALE_REPORTS = """
update app.report_requests
set status = 'failed', finished_at = now(),
    failure_reason = 'the report run did not finish within ' || %(minutes)s || ' minutes'
where status = 'running' and started_at < now() - make_interval(mins => %(minutes)s)
returning report_id
"""

REPORT_WORKSPACE = """
select w.workspace_id, w.name as workspace_name, a.name as agency_name
from app.workspaces as w
inner join app.agencies as a using (agency_id)
where w.workspace_id = %(workspace_id)s
"""

# per account over the range: sums of account_posts_daily (publication day UTC); engagement
# rate = ratio of sums over the posts with a follower count (DECISIONS.md, Modelling);
# followers at the range's ends from account_metrics_daily (platform history before connection)
REPORT_SUMMARY = """
with acc as (
    select account_id, platform, handle, display_name, followers_count
    from marts.accounts where account_id = any(%(ids)s::bigint[])
),
p as (
    select account_id, sum(posts) as posts, sum(engagement) as engagement,
           sum(engagement_of_rated_posts) as engagement_of_rated_posts,
           sum(followers_at_post_sum) as followers_at_post_sum
    from marts.account_posts_daily
    where account_id = any(%(ids)s::bigint[]) and metric_date between %(start)s and %(end)s
    group by account_id
),
f as (
    select account_id,
           (array_agg(followers order by metric_date) filter (where followers is not null))[1]
               as followers_start,
           (array_agg(followers order by metric_date desc)
               filter (where followers is not null))[1] as followers_end
    from marts.account_metrics_daily
    where account_id = any(%(ids)s::bigint[]) and metric_date between %(start)s and %(end)s
    group by account_id
)
select acc.account_id, acc.platform, acc.handle, acc.display_name,
       coalesce(p.posts, 0)::bigint as posts, coalesce(p.engagement, 0)::bigint as engagement,
       (p.engagement::double precision / nullif(p.posts, 0)) as avg_engagement,
       (p.engagement_of_rated_posts::double precision / nullif(p.followers_at_post_sum, 0))
           as engagement_rate,
       f.followers_start, f.followers_end,
       (f.followers_end - f.followers_start)::bigint as follower_growth
from acc
left join p using (account_id)
left join f using (account_id)
order by acc.account_id
"""

# engagement by publication day (each post's latest engagement on the day it was published),
# the report's per-day view; engagement gained per day is account_metrics_daily's (backfilled)
REPORT_DAILY = """
select metric_date, account_id, handle, platform, posts, engagement,
       (engagement_of_rated_posts::double precision / nullif(followers_at_post_sum, 0))
           as engagement_rate
from marts.account_posts_daily
where account_id = any(%(ids)s::bigint[]) and metric_date between %(start)s and %(end)s
order by metric_date, account_id
"""

REPORT_TOP_POSTS = """
select post_id, account_id, handle, platform, created_at, left(text, 280) as text, post_url,
       likes, comments, shares, saves, engagement, engagement_rate_by_followers
from marts.posts
where account_id = any(%(ids)s::bigint[]) and not is_deleted
  -- the UTC days start..end as a range on created_at, so the (account_id, created_at) index
  -- serves it
  and created_at >= %(start)s::date::timestamp at time zone 'UTC'
  and created_at < (%(end)s::date + 1)::timestamp at time zone 'UTC'
order by engagement desc nulls last, post_id
limit %(limit)s
"""

# a range's figures from marts.competitor_benchmark's day rows, every ratio a ratio of the sums
# the mart keeps (engagement rate = public engagement of the rated mature posts / their
# followers at posting; share of voice = public engagement / the comparable members'); the
# API's competitor analysis selects the same list. Null for not_available members (their
# platform gives no posts), never 0.
BENCHMARK_RANGE_FIGURES = """
    sum(posts)::bigint as posts,
    sum(public_engagement)::bigint as public_engagement,
    (sum(public_engagement)::double precision / nullif(sum(mature_posts), 0))
        as public_engagement_per_post,
    (sum(public_engagement_of_rated_posts)::double precision
        / nullif(sum(followers_at_post_sum), 0)) as engagement_rate,
    (sum(public_engagement)::double precision / nullif(sum(set_public_engagement), 0))
        as share_of_voice"""

# the workspace's competitive sets on the report accounts' platforms over the date range
REPORT_COMPETITORS = f"""
select account_id, handle, platform, is_competitor, benchmark_status,
{BENCHMARK_RANGE_FIGURES}
from marts.competitor_benchmark
where period_grain = 'day' and period_start between %(start)s and %(end)s
  and workspace_id = %(workspace_id)s
  and platform in (select platform from marts.accounts where account_id = any(%(ids)s::bigint[]))
  and (is_competitor or account_id = any(%(ids)s::bigint[]))
group by account_id, handle, platform, is_competitor, benchmark_status
order by platform, is_competitor, public_engagement desc nulls last, account_id
"""

# the all-platform rows (platform null): the per-platform rows would count each post twice
REPORT_HASHTAGS = """
select hashtag, sum(posts)::bigint as posts, sum(engagement)::bigint as engagement,
       max(velocity) as peak_velocity
from marts.hashtag_trends
where workspace_id = %(workspace_id)s and platform is null
  and metric_date between %(start)s and %(end)s
group by hashtag
having sum(posts) > 0
order by posts desc, engagement desc, hashtag
limit %(limit)s
"""
