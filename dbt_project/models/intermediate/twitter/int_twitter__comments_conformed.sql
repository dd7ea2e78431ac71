with replies as (
    select * from {{ ref('stg_twitter__replies') }}
),

final as (
    select
        reply_id as comment_id,
        {{ post_id("'twitter'", 'tweet_id') }} as post_id,
        tweet_id as platform_post_id,
        'twitter'::text as platform,
        owner_user_id as platform_account_id,
        author_user_id as author,
        reply_text as comment_text,
        language,
        created_at
    from replies
)

select * from final
