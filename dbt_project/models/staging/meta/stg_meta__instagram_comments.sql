with source as (
    {{ select_source('meta', 'instagram_comments', {
        'id': 'text', 'media_id': 'text', 'owner_id': 'text', 'text': 'text',
        'username': 'text', 'like_count': 'bigint', 'created_at': 'timestamptz',
    }) }}
),

renamed as (
    select
        id as comment_id,
        media_id,
        owner_id as instagram_account_id,
        username as author_username,
        text as comment_text,
        like_count,
        created_at
    from source
    where id is not null
)

select * from renamed
