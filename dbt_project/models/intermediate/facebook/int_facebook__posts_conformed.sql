with posts as (
    select * from {{ ref('stg_meta__facebook_posts') }}
),

final as (
    select
        {{ post_id("'facebook'", 'facebook_post_id') }} as post_id,
        facebook_post_id as platform_post_id,
        'facebook'::text as platform,
        page_id as platform_account_id,
        message as post_text,
        array(
            select jsonb_array_elements_text(coalesce(hashtags, '[]'::jsonb))
        ) as hashtags,
        null::text as media_type,
        post_url,
        null::text as language,
        is_deleted,
        created_at,
        last_observed_at,
        loaded_at
    from posts
)

select * from final
