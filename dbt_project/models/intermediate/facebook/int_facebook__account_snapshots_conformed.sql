with snapshots as (
    select * from {{ ref('stg_meta__facebook_page_metric_snapshots') }}
),

final as (
    select
        'facebook'::text as platform,
        page_id as platform_account_id,
        observed_at,
        -- followers_count replaced fan_count (page likes) as Meta's audience figure
        coalesce(followers_count, fan_count) as followers_count,
        null::bigint as following_count,
        null::bigint as posts_count
    from snapshots
)

select * from final
