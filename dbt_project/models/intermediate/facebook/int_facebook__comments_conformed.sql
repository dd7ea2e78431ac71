with comments as (
    select * from {{ ref('stg_meta__facebook_comments') }}
),

final as (
    select
        comment_id,
        {{ post_id("'facebook'", 'facebook_post_id') }} as post_id,
        facebook_post_id as platform_post_id,
        'facebook'::text as platform,
        page_id as platform_account_id,
        coalesce(author_name, author_id) as author,
        comment_text,
        null::text as language,
        created_at
    from comments
)

select * from final
