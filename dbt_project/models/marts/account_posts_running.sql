-- account_posts_daily's sums carried forward: per connected account and day it published, the
-- sums from its first day up to and including that day. The overview over any date range then
-- reads two rows per account (the last row on or before the end minus the last row before the
-- start) instead of every day of the history; a difference of running sums is the sum over the
-- range, so every figure and ratio of sums stays the one account_posts_daily gives.
{{ config(indexes=[
    {'columns': ['account_id', 'metric_date'], 'unique': True},
    {'columns': ['workspace_id']},
]) }}

with daily as (
    select * from {{ ref('account_posts_daily') }}
),

final as (
    select
        account_id,
        workspace_id,
        platform,
        metric_date,
        (sum(posts) over to_date)::bigint as posts,
        (sum(posts_with_engagement) over to_date)::bigint as posts_with_engagement,
        (sum(engagement) over to_date)::bigint as engagement,
        (sum(public_engagement) over to_date)::bigint as public_engagement,
        (sum(followers_at_post_sum) over to_date)::bigint as followers_at_post_sum,
        (sum(rated_posts) over to_date)::bigint as rated_posts,
        (sum(engagement_of_rated_posts) over to_date)::bigint as engagement_of_rated_posts,
        (sum(public_engagement_of_rated_posts) over to_date)::bigint
            as public_engagement_of_rated_posts
    from daily
    window to_date as (
        partition by account_id order by metric_date
        rows between unbounded preceding and current row
    )
)

select * from final
