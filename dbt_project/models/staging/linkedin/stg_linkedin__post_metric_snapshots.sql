with source as (
    {{ select_source('linkedin', 'post_metric_snapshots', {
        'post_id': 'text', 'organization_id': 'text', 'observed_at': 'timestamptz',
        'impression_count': 'bigint', 'unique_impressions_count': 'bigint',
        'click_count': 'bigint', 'like_count': 'bigint', 'comment_count': 'bigint',
        'share_count': 'bigint', 'engagement': 'double precision',
    }) }}
),

renamed as (
    select
        post_id as linkedin_post_id,
        organization_id,
        impression_count,
        unique_impressions_count,
        click_count,
        like_count,
        comment_count,
        share_count,
        -- LinkedIn's own rate: (clicks + likes + comments + shares) / impressions
        engagement as linkedin_engagement_rate,
        observed_at
    from source
    where post_id is not null and observed_at is not null
)

select * from renamed
