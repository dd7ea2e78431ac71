-- one row per connected account and UTC day, from its first post or observation to the last
-- observed day: end-of-day followers (carried forward over days without a sync), growth vs the
-- previous day, posts published, engagement gained that day (post_metrics_daily deltas)
{{ config(indexes=[
    {'columns': ['account_id', 'metric_date'], 'unique': True},
    {'columns': ['workspace_id', 'metric_date']},
]) }}

with accounts as (
    select * from {{ ref('stg_app__connected_accounts') }}
),

account_snapshots as (
    select * from {{ ref('int_account_snapshots_unioned') }}
),

posts as (
    select * from {{ ref('int_posts_unioned') }}
),

post_days as (
    select * from {{ ref('post_metrics_daily') }}
),

followers_by_day as (
    select distinct on (platform, platform_account_id, (observed_at at time zone 'UTC')::date)
        platform,
        platform_account_id,
        (observed_at at time zone 'UTC')::date as metric_date,
        followers_count
    from account_snapshots
    where followers_count is not null
    order by
        platform asc,
        platform_account_id asc,
        (observed_at at time zone 'UTC')::date,
        observed_at desc
),

posts_by_day as (
    select
        platform,
        platform_account_id,
        (created_at at time zone 'UTC')::date as metric_date,
        count(*) as posts
    from posts
    where not is_deleted
    group by 1, 2, 3
),

engagement_by_day as (
    select
        platform,
        platform_account_id,
        metric_date,
        sum(engagement_delta) as engagement
    from post_days
    group by 1, 2, 3
),

bounds as (
    select
        platform,
        platform_account_id,
        min(metric_date) as first_date
    from (
        select
            platform,
            platform_account_id,
            metric_date
        from followers_by_day
        union all
        select
            platform,
            platform_account_id,
            metric_date
        from posts_by_day
    ) as observed_days
    group by 1, 2
),

spine as (
    select
        accounts.account_id,
        accounts.workspace_id,
        accounts.platform,
        accounts.platform_account_id,
        day::date as metric_date
    from accounts
    inner join bounds
        on
            accounts.platform = bounds.platform
            and accounts.platform_account_id = bounds.platform_account_id
    cross join lateral generate_series(
        bounds.first_date,
        (select max(metric_date) from followers_by_day), interval '1 day'
    ) as day
),

filled as (
    select
        spine.*,
        coalesce(posts_by_day.posts, 0) as posts,
        coalesce(engagement_by_day.engagement, 0) as engagement,
        followers_by_day.followers_count,
        count(followers_by_day.followers_count) over by_day as followers_group
    from spine
    left join followers_by_day using (platform, platform_account_id, metric_date)
    left join posts_by_day using (platform, platform_account_id, metric_date)
    left join engagement_by_day using (platform, platform_account_id, metric_date)
    window by_day as (partition by spine.account_id order by spine.metric_date)
),

carried as (
    select
        *,
        max(followers_count) over (
            partition by account_id, followers_group
        ) as followers
    from filled
),

final as (
    select
        account_id,
        workspace_id,
        platform,
        platform_account_id,
        metric_date,
        followers::bigint as followers,
        (followers - lag(followers) over (partition by account_id order by metric_date))::bigint
            as follower_growth,
        posts::bigint as posts,
        engagement::bigint as engagement,
        -- the day's activity over its audience: engagement gained / end-of-day followers
        {{ engagement_rate_by_followers('engagement', 'followers') }} as engagement_rate
    from carried
)

select * from final
