with source as (
    {{ select_source('linkedin', 'comments', {
        'id': 'text', 'post_id': 'text', 'organization_id': 'text', 'actor': 'text',
        'text': 'text', 'created_at': 'timestamptz',
    }) }}
),

renamed as (
    select
        id as comment_id,
        post_id as linkedin_post_id,
        organization_id,
        actor as author_urn,
        text as comment_text,
        created_at
    from source
    where id is not null
)

select * from renamed
