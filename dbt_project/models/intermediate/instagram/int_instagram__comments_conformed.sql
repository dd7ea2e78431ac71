with comments as (
    select * from {{ ref('stg_meta__instagram_comments') }}
),

final as (
    select
        comment_id,
        {{ post_id("'instagram'", 'media_id') }} as post_id,
        media_id as platform_post_id,
        'instagram'::text as platform,
        instagram_account_id as platform_account_id,
        author_username as author,
        comment_text,
        null::text as language,
        created_at
    from comments
)

select * from final
