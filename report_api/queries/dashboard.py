"""The overview: sums of marts.account_posts_daily (publication day UTC) per account."""

# one statement (grouping sets: one row per account plus the total row), no N+1; every
# account of the scope is listed, with zeros when it published nothing in the range.
# Engagement rate = ratio of sums over the posts that have a follower count.
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
