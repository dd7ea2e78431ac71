with snapshots as (
    select * from {{ ref('stg_meta__instagram_account_metric_snapshots') }}
),

final as (
    select
        'instagram'::text as platform,
        instagram_account_id as platform_account_id,
        observed_at,
        followers_count,
        follows_count as following_count,
        media_count as posts_count
    from snapshots
)

select * from final
