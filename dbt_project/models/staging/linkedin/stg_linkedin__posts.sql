with source as (
    {{ select_source('linkedin', 'posts', {
        'id': 'text', 'author_id': 'text', 'text': 'text', 'hashtags': 'jsonb',
        'lifecycle_state': 'text', 'content_type': 'text', 'is_edited': 'boolean',
        'is_deleted': 'boolean', 'created_at': 'timestamptz', 'published_at': 'timestamptz',
        'last_modified_at': 'timestamptz', 'last_observed_at': 'timestamptz',
        '_dlt_load_id': 'text',
    }) }}
),

renamed as (
    select
        id as linkedin_post_id,
        author_id as organization_id,
        text as post_text,
        hashtags,
        lifecycle_state,
        content_type,
        coalesce(is_edited, false) as is_edited,
        coalesce(is_deleted, false) as is_deleted,
        created_at,
        published_at,
        last_modified_at,
        last_observed_at,
        -- the sync that last wrote the row (a dlt load id is its start, in epoch seconds)
        to_timestamp(_dlt_load_id::numeric) as loaded_at
    from source
    where id is not null
)

select * from renamed
