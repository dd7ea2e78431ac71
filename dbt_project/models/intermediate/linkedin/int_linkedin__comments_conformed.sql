with comments as (
    select * from {{ ref('stg_linkedin__comments') }}
),

final as (
    select
        comment_id,
        {{ post_id("'linkedin'", 'linkedin_post_id') }} as post_id,
        linkedin_post_id as platform_post_id,
        'linkedin'::text as platform,
        organization_id as platform_account_id,
        author_urn as author,
        comment_text,
        null::text as language,
        created_at
    from comments
)

select * from final
