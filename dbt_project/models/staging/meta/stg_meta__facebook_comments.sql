with source as (
    {{ select_source('meta', 'facebook_comments', {
        'id': 'text', 'post_id': 'text', 'page_id': 'text', 'message': 'text',
        'from_id': 'text', 'from_name': 'text', 'created_at': 'timestamptz',
    }) }}
),

renamed as (
    select
        id as comment_id,
        post_id as facebook_post_id,
        page_id,
        from_id as author_id,
        from_name as author_name,
        message as comment_text,
        created_at
    from source
    where id is not null
)

select * from renamed
