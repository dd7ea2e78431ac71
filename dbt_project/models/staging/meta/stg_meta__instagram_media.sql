with source as (
    {{ select_source('meta', 'instagram_media', {
        'id': 'text', 'owner_id': 'text', 'caption': 'text', 'media_type': 'text',
        'media_product_type': 'text', 'permalink': 'text', 'created_at': 'timestamptz',
        'hashtags': 'jsonb', 'is_deleted': 'boolean', 'last_observed_at': 'timestamptz',
        '_dlt_load_id': 'text',
    }) }}
),

renamed as (
    select
        id as media_id,
        owner_id as instagram_account_id,
        caption,
        media_type,
        media_product_type,
        permalink as post_url,
        hashtags,
        coalesce(is_deleted, false) as is_deleted,
        created_at,
        last_observed_at,
        -- the sync that last wrote the row (a dlt load id is its start, in epoch seconds)
        to_timestamp(_dlt_load_id::numeric) as loaded_at
    from source
    where id is not null
)

select * from renamed
