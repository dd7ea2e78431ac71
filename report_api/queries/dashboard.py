"""The overview: sums of marts.account_posts_daily (publication day UTC) per account, read as
differences of its running sums (marts.account_posts_running)."""

# one statement (grouping sets: one row per account plus the total row), no N+1; every
# account of the scope is listed, with zeros when it published nothing in the range.
# Engagement rate = ratio of sums over the posts that have a follower count.
# A range's sums per account = the running sums of its last day on or before_start the end minus
# those of its last day before_start the start: two index probes per account ((account_id,
# metric_date) read backwards), whatever the length of the history.
OVERVIEW = """
with acc as (
    select account_id, workspace_id, platform, handle, display_name, is_competitor,
           followers_count
    from marts.accounts
    where workspace_id = any(%(ws)s::bigint[])
      and (%(workspace_id)s::bigint is null or workspace_id = %(workspace_id)s::bigint)
      and (%(platform)s::text is null or platform = %(platform)s::text)
      and (%(include_competitors)s or not is_competitor)
),
up_to_end as (
    select acc.account_id, r.posts, r.engagement, r.followers_at_post_sum,
           r.engagement_of_rated_posts
    from acc
    cross join lateral (
        select * from marts.account_posts_running as r
        where r.account_id = acc.account_id
          and (%(end)s::date is null or r.metric_date <= %(end)s::date)
        order by r.metric_date desc
        limit 1
    ) as r
),
before_start as (
    select acc.account_id, r.posts, r.engagement, r.followers_at_post_sum,
           r.engagement_of_rated_posts
    from acc
    cross join lateral (
        select * from marts.account_posts_running as r
        where r.account_id = acc.account_id
          and %(start)s::date is not null and r.metric_date < %(start)s::date
        order by r.metric_date desc
        limit 1
    ) as r
),
daily as (
    -- one row per account with posts in the range, as account_posts_daily's sums over it
    select up_to_end.account_id,
           up_to_end.posts - coalesce(before_start.posts, 0) as posts,
           up_to_end.engagement - coalesce(before_start.engagement, 0) as engagement,
           up_to_end.followers_at_post_sum - coalesce(before_start.followers_at_post_sum, 0)
               as followers_at_post_sum,
           up_to_end.engagement_of_rated_posts
               - coalesce(before_start.engagement_of_rated_posts, 0) as engagement_of_rated_posts
    from up_to_end
    left join before_start using (account_id)
    where up_to_end.posts > coalesce(before_start.posts, 0)
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
