with posts as (
    select * from {{ ref('stg_linkedin__posts') }}
),

final as (
    select
        {{ post_id("'linkedin'", 'linkedin_post_id') }} as post_id,
        linkedin_post_id as platform_post_id,
        'linkedin'::text as platform,
        organization_id as platform_account_id,
        post_text,
        array(
            select jsonb_array_elements_text(coalesce(hashtags, '[]'::jsonb))
        ) as hashtags,
        content_type as media_type,
        'https://www.linkedin.com/feed/update/' || linkedin_post_id as post_url,
        null::text as language,
        is_deleted,
        coalesce(published_at, created_at) as created_at,
        last_observed_at,
        loaded_at
    from posts
)

select * from final
