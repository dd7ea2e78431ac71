-- Instagram: impressions were removed in Graph v22 and `views` is not the same count, so
-- impressions stay null; likes and comments come from the media object (real time), reach,
-- views, saves and shares from insights (late, corrected, and absent for competitor media)
with snapshots as (
    select * from {{ ref('stg_meta__instagram_media_metric_snapshots') }}
),

conformed as (
    select
        {{ post_id("'instagram'", 'media_id') }} as post_id,
        media_id as platform_post_id,
        'instagram'::text as platform,
        instagram_account_id as platform_account_id,
        observed_at,
        null::bigint as impressions,
        reach,
        views,
        like_count as likes,
        comments_count as comments,
        shares,
        saved as saves,
        null::bigint as clicks
    from snapshots
),

final as (
    select
        *,
        -- rule ig_shares_unknown: insights reported without `shares` (Graph leaves out a
        -- metric it has no value of, an empty value instead of 0) make the engagement unknown
        -- rather than counting the shares as 0; before any insight is reported (the first
        -- hour, competitors) engagement is the parts the media object gives, as before
        case
            when shares is null and coalesce(reach, views, saves) is not null then null
            else {{ engagement() }}
        end as engagement,
        -- business_discovery shows competitors' likes and comments only
        {{ engagement(shares='null', saves='null') }} as public_engagement
    from conformed
)

select * from final
