with source as (
    {{ select_source('meta', 'facebook_posts', {
        'id': 'text', 'page_id': 'text', 'message': 'text', 'permalink_url': 'text',
        'hashtags': 'jsonb', 'is_deleted': 'boolean', 'created_at': 'timestamptz',
        'last_observed_at': 'timestamptz', '_dlt_load_id': 'text',
    }) }}
),

renamed as (
    select
        id as facebook_post_id,
        page_id,
        message,
        permalink_url as post_url,
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
