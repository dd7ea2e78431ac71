"""The overview: sums of marts.account_posts_daily (publication day UTC) per account, read as
differences of its running sums (marts.account_posts_running)."""

# one statement (grouping sets: one row per account plus the total row), no N+1; every
# account of the scope is listed, with zeros when it published nothing in the range.
# Engagement rate = ratio of sums over the posts that have a follower count.
# Avg engagement = engagement / posts with known engagement (account_posts_daily's formula):
# the engagement sum skips a post of unknown engagement (ig_shares_unknown), so dividing by
# every post would count it as 0.
# A range's sums per account = the running sums of its last day on or before the end minus
# those of its last day before the start: two index probes per account ((account_id,
# metric_date) read backwards), whatever the length of the history. The bounds are index
# conditions (coalesce to +-infinity, not "is null or") and both probes are laterals of the one
# scan of the accounts, so a prepared statement's generic plan (which guesses one account)
# probes the index the same way.
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
figures as (
    -- per account, its sums over the range: running sums at the end minus before the start
    -- (zeros without posts in the range: the ratios below are then null, as for no rows)
    select acc.*,
           coalesce(up_to_end.posts, 0) - coalesce(before_start.posts, 0) as posts,
           coalesce(up_to_end.posts_with_engagement, 0)
               - coalesce(before_start.posts_with_engagement, 0) as posts_with_engagement,
           coalesce(up_to_end.engagement, 0) - coalesce(before_start.engagement, 0)
               as engagement,
           coalesce(up_to_end.followers_at_post_sum, 0)
               - coalesce(before_start.followers_at_post_sum, 0) as followers_at_post_sum,
           coalesce(up_to_end.engagement_of_rated_posts, 0)
               - coalesce(before_start.engagement_of_rated_posts, 0)
               as engagement_of_rated_posts
    from acc
    left join lateral (
        select * from marts.account_posts_running as r
        where r.account_id = acc.account_id
          and r.metric_date <= coalesce(%(end)s::date, 'infinity'::date)
        order by r.metric_date desc
        limit 1
    ) as up_to_end on true
    left join lateral (
        select * from marts.account_posts_running as r
        where r.account_id = acc.account_id
          and r.metric_date < coalesce(%(start)s::date, '-infinity'::date)
        order by r.metric_date desc
        limit 1
    ) as before_start on true
)
select
    grouping(account_id) = 1 as is_total,
    account_id, workspace_id, platform, handle, display_name, is_competitor, followers_count,
    coalesce(sum(posts), 0)::bigint as posts_count,
    coalesce(sum(engagement), 0)::bigint as total_engagement,
    (sum(engagement)::double precision / nullif(sum(posts_with_engagement), 0))
        as avg_engagement,
    (sum(engagement_of_rated_posts)::double precision
        / nullif(sum(followers_at_post_sum), 0)) as engagement_rate
from figures
group by grouping sets ((account_id, workspace_id, platform, handle, display_name,
                         is_competitor, followers_count), ())
order by is_total desc, workspace_id, account_id
"""
