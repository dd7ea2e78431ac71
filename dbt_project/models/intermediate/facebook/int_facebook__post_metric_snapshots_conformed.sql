-- Facebook: post impressions are gone (Nov 2025): views = post_media_view, reach = unique media
-- views; likes = all reactions (a love or wow is the same gesture); shares follow staging's
-- rule shares_omitted_means_zero (Graph omits `shares` on a post nobody shared)
with snapshots as (
    select * from {{ ref('stg_meta__facebook_post_metric_snapshots') }}
),

conformed as (
    select
        {{ post_id("'facebook'", 'facebook_post_id') }} as post_id,
        facebook_post_id as platform_post_id,
        'facebook'::text as platform,
        page_id as platform_account_id,
        observed_at,
        null::bigint as impressions,
        unique_media_view_count as reach,
        media_view_count as views,
        reaction_count as likes,
        comment_count as comments,
        share_count_omitted_as_zero as shares,
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
