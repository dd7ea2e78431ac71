"""SQL of report assembly: claiming queued requests, reading the marts, storing the result.

Run by the Dagster report job; the API only inserts requests and serves finished artifacts.
"""

from __future__ import annotations


def as_text(ids: list[int] | tuple[int, ...]) -> list[str]:
    """Ids as the marts store them (text)."""
    return [str(i) for i in ids]



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

REPORT_SUMMARY = """
with acc as (
    select account_id, platform, handle, display_name, followers_count
    from marts.accounts where account_id = any(%(ids)s::text[])
),
p as (
    select account_id, count(*) as posts, coalesce(sum(engagement), 0) as engagement,
           avg(engagement) as avg_engagement,
           avg(engagement_rate_by_followers) as engagement_rate
    from marts.posts
    where account_id = any(%(ids)s::text[]) and not is_deleted
      and (created_at at time zone 'UTC')::date between %(start)s and %(end)s
    group by account_id
),
f as (
    select account_id,
           (array_agg(followers order by metric_date) filter (where followers is not null))[1]
               as followers_start,
           (array_agg(followers order by metric_date desc)
               filter (where followers is not null))[1] as followers_end
    from marts.account_metrics_daily
    where account_id = any(%(ids)s::text[]) and metric_date between %(start)s and %(end)s
    group by account_id
)
select acc.account_id::bigint as account_id, acc.platform, acc.handle, acc.display_name,
       coalesce(p.posts, 0)::bigint as posts, coalesce(p.engagement, 0)::bigint as engagement,
       p.avg_engagement::double precision as avg_engagement,
       p.engagement_rate::double precision as engagement_rate,
       f.followers_start, f.followers_end,
       (f.followers_end - f.followers_start)::bigint as follower_growth
from acc
left join p using (account_id)
left join f using (account_id)
order by acc.account_id::bigint
"""

# engagement by publication day (each post's latest engagement on the day it was published):
# meaningful from the first sync, unlike daily deltas, which pile all history on that day
REPORT_DAILY = """
select (p.created_at at time zone 'UTC')::date as metric_date,
       p.account_id::bigint as account_id, a.handle, p.platform,
       count(*)::bigint as posts, coalesce(sum(p.engagement), 0)::bigint as engagement,
       avg(p.engagement_rate_by_followers)::double precision as engagement_rate
from marts.posts as p
inner join marts.accounts as a using (account_id)
where p.account_id = any(%(ids)s::text[]) and not p.is_deleted
  and (p.created_at at time zone 'UTC')::date between %(start)s and %(end)s
group by 1, p.account_id, a.handle, p.platform
order by 1, p.account_id::bigint
"""

REPORT_TOP_POSTS = """
select p.post_key, p.account_id::bigint as account_id, a.handle, p.platform, p.created_at,
       left(p.text, 280) as text, p.post_url, p.likes, p.comments, p.shares, p.saves,
       p.engagement, p.engagement_rate_by_followers
from marts.posts as p
inner join marts.accounts as a using (account_id)
where p.account_id = any(%(ids)s::text[]) and not p.is_deleted
  and (p.created_at at time zone 'UTC')::date between %(start)s and %(end)s
order by p.engagement desc nulls last, p.post_key
limit %(limit)s
"""

# the workspace's competitive sets on the report accounts' platforms, over the date range
REPORT_COMPETITORS = """
with rows as (
    select cb.*
    from marts.competitor_benchmark as cb
    where cb.period_grain = 'day' and cb.period_start between %(start)s and %(end)s
      and cb.workspace_id = %(workspace_id)s::text
      and cb.platform in (select platform from marts.accounts
                          where account_id = any(%(ids)s::text[]))
),
set_totals as (
    select platform, sum(engagement) as set_engagement from rows group by platform
)
select r.account_id::bigint as account_id, a.handle, r.platform, r.is_competitor,
       sum(r.posts)::bigint as posts, sum(r.engagement)::bigint as engagement,
       (sum(r.engagement)::double precision / nullif(sum(r.posts), 0)) as engagement_per_post,
       (sum(r.engagement_rate_by_followers * r.posts)
           / nullif(sum(r.posts) filter (where r.engagement_rate_by_followers is not null), 0)
       )::double precision as engagement_rate,
       (sum(r.engagement)::double precision / nullif(max(st.set_engagement), 0))
           as share_of_voice
from rows as r
inner join set_totals as st using (platform)
inner join marts.accounts as a on a.account_id = r.account_id
where not r.is_competitor and r.account_id = any(%(ids)s::text[]) or r.is_competitor
group by r.account_id, a.handle, r.platform, r.is_competitor
order by r.platform, r.is_competitor, engagement desc, r.account_id::bigint
"""

REPORT_HASHTAGS = """
select hashtag, sum(posts)::bigint as posts, sum(engagement)::bigint as engagement,
       max(velocity) as peak_velocity
from marts.hashtag_trends
where workspace_id = %(workspace_id)s::text and metric_date between %(start)s and %(end)s
group by hashtag
having sum(posts) > 0
order by posts desc, engagement desc, hashtag
limit %(limit)s
"""
