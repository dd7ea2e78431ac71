with tweets as (
    select * from {{ ref('stg_twitter__tweets') }}
),

final as (
    select
        {{ post_id("'twitter'", 'tweet_id') }} as post_id,
        tweet_id as platform_post_id,
        'twitter'::text as platform,
        user_id as platform_account_id,
        tweet_text as post_text,
        array(
            select jsonb_array_elements_text(coalesce(hashtags, '[]'::jsonb))
        ) as hashtags,
        null::text as media_type,
        'https://x.com/i/status/' || tweet_id as post_url,
        language,
        is_deleted,
        created_at,
        last_observed_at,
        loaded_at
    from tweets
    -- retweets carry the original's counts and tags: no mart figure counts them
    where not is_retweet
)

select * from final
