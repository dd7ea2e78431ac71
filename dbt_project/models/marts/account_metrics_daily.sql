-- one row per connected account and UTC day, from its first post or known follower count to
-- the last observed day: end-of-day followers and where they come from (int_account_followers_
-- daily; 'not_available' before the first count, e.g. X before connection), growth vs the
-- previous day, posts published, and engagement gained that day (post_metrics_daily deltas,
-- with what posts had gained before their first observation backfilled to their publication day)
{{ config(indexes=[
    {'columns': ['account_id', 'metric_date'], 'unique': True},
    {'columns': ['workspace_id', 'metric_date']},
]) }}

with accounts as (
    select * from {{ ref('stg_app__connected_accounts') }}
),

followers_daily as (
    select * from {{ ref('int_account_followers_daily') }}
),

posts as (
    select * from {{ ref('int_posts_unioned') }}
),

post_days as (
    select * from {{ ref('post_metrics_daily') }}
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
        from followers_daily
        union all
        select
            platform,
            platform_account_id,
            metric_date
        from posts_by_day
        union all
        select
            platform,
            platform_account_id,
            metric_date
        from engagement_by_day
    ) as known_days
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
        (select max(metric_date) from followers_daily), interval '1 day'
    ) as day
),

final as (
    select
        spine.account_id,
        spine.workspace_id,
        spine.platform,
        spine.platform_account_id,
        spine.metric_date,
        followers_daily.followers::bigint as followers,
        coalesce(followers_daily.followers_source, 'not_available') as followers_source,
        (
            followers_daily.followers
            - lag(followers_daily.followers) over (
                partition by spine.account_id order by spine.metric_date
            )
        )::bigint as follower_growth,
        coalesce(posts_by_day.posts, 0)::bigint as posts,
        coalesce(engagement_by_day.engagement, 0)::bigint as engagement,
        -- the day's activity over its audience: engagement gained / end-of-day followers
        {{ engagement_rate_by_followers(
            'coalesce(engagement_by_day.engagement, 0)', 'followers_daily.followers'
        ) }} as engagement_rate
    from spine
    left join followers_daily using (platform, platform_account_id, metric_date)
    left join posts_by_day using (platform, platform_account_id, metric_date)
    left join engagement_by_day using (platform, platform_account_id, metric_date)
)

select * from final
