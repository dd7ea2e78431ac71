-- followers of the posting account on the UTC day a post went out (int_account_followers_daily:
-- the day's last snapshot, else the platform's follower history, else the last count carried
-- forward); a post older than every known day (X has no follower history) gets the first count
-- known, one newer than the last observed day the last one. One indexed lookup per post.
with posts as (
    select * from {{ ref('int_posts_unioned') }}
),

followers_daily as (
    select * from {{ ref('int_account_followers_daily') }}
),

known_range as (
    select distinct
        platform,
        platform_account_id,
        first_value(followers) over by_day as first_followers,
        min(metric_date) over by_account as first_date,
        last_value(followers) over by_day_all as last_followers
    from followers_daily
    window
        by_account as (partition by platform, platform_account_id),
        by_day as (partition by platform, platform_account_id order by metric_date),
        by_day_all as (
            partition by platform, platform_account_id order by metric_date
            rows between unbounded preceding and unbounded following
        )
),

final as (
    select
        posts.post_id,
        posts.platform_post_id,
        posts.platform,
        posts.platform_account_id,
        posts.created_at,
        posts.is_deleted,
        coalesce(
            on_day.followers,
            case
                when (posts.created_at at time zone 'UTC')::date < known_range.first_date
                    then known_range.first_followers
                else known_range.last_followers
            end
        ) as followers_at_post
    from posts
    left join followers_daily as on_day
        on
            posts.platform = on_day.platform
            and posts.platform_account_id = on_day.platform_account_id
            and (posts.created_at at time zone 'UTC')::date = on_day.metric_date
    left join known_range
        on
            posts.platform = known_range.platform
            and posts.platform_account_id = known_range.platform_account_id
)

select * from final
