with snapshots as (
    select * from {{ ref('stg_twitter__user_metric_snapshots') }}
),

final as (
    select
        'twitter'::text as platform,
        user_id as platform_account_id,
        observed_at,
        followers_count,
        following_count,
        tweet_count as posts_count
    from snapshots
)

select * from final
