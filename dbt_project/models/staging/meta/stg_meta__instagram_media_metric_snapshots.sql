with source as (
    {{ select_source('meta', 'instagram_media_metric_snapshots', {
        'media_id': 'text', 'owner_id': 'text', 'observed_at': 'timestamptz',
        'like_count': 'bigint', 'comments_count': 'bigint', 'reach': 'bigint',
        'views': 'bigint', 'saved': 'bigint', 'shares': 'bigint',
        'total_interactions': 'bigint',
    }) }}
),

renamed as (
    select
        media_id,
        owner_id as instagram_account_id,
        like_count,
        comments_count,
        reach,
        views,
        saved,
        shares,
        total_interactions,
        observed_at
    from source
    where media_id is not null and observed_at is not null
)

select * from renamed
