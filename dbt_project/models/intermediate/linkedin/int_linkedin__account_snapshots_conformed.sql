with snapshots as (
    select * from {{ ref('stg_linkedin__organization_metric_snapshots') }}
),

final as (
    select
        'linkedin'::text as platform,
        organization_id as platform_account_id,
        observed_at,
        follower_count as followers_count,
        null::bigint as following_count,
        null::bigint as posts_count
    from snapshots
)

select * from final
