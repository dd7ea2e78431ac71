-- LinkedIn: reach = unique impressions; no saves or views; clicks are kept as a metric but,
-- unlike LinkedIn's own engagement rate, are not engagement (comparable across networks)
with snapshots as (
    select * from {{ ref('stg_linkedin__post_metric_snapshots') }}
),

conformed as (
    select
        {{ post_id("'linkedin'", 'linkedin_post_id') }} as post_id,
        linkedin_post_id as platform_post_id,
        'linkedin'::text as platform,
        organization_id as platform_account_id,
        observed_at,
        impression_count as impressions,
        unique_impressions_count as reach,
        null::bigint as views,
        like_count as likes,
        comment_count as comments,
        share_count as shares,
        null::bigint as saves,
        click_count as clicks
    from snapshots
),

final as (
    select
        *,
        {{ engagement() }} as engagement,
        {{ engagement() }} as public_engagement
    from conformed
)

select * from final
