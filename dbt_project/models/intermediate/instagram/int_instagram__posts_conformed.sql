with media as (
    select * from {{ ref('stg_meta__instagram_media') }}
),

final as (
    select
        {{ post_id("'instagram'", 'media_id') }} as post_id,
        media_id as platform_post_id,
        'instagram'::text as platform,
        instagram_account_id as platform_account_id,
        caption as post_text,
        array(
            select jsonb_array_elements_text(coalesce(hashtags, '[]'::jsonb))
        ) as hashtags,
        coalesce(media_product_type, media_type) as media_type,
        post_url,
        null::text as language,
        is_deleted,
        created_at,
        last_observed_at,
        loaded_at
    from media
)

select * from final
