with source as (
    {{ select_source('twitter', 'tweets', {
        'id': 'text', 'author_id': 'text', 'text': 'text', 'created_at': 'timestamptz',
        'conversation_id': 'text', 'lang': 'text', 'in_reply_to_user_id': 'text',
        'hashtags': 'jsonb', 'referenced_tweets': 'jsonb', 'is_retweet': 'boolean',
        'is_deleted': 'boolean', 'last_observed_at': 'timestamptz', '_dlt_load_id': 'text',
    }) }}
),

renamed as (
    select
        id as tweet_id,
        author_id as user_id,
        conversation_id,
        in_reply_to_user_id,
        text as tweet_text,
        lang as language,
        hashtags,
        referenced_tweets,
        -- a retweet is someone else's tweet: posting activity, never this account's engagement
        coalesce(is_retweet, false) as is_retweet,
        coalesce(is_deleted, false) as is_deleted,
        created_at,
        last_observed_at,
        -- the sync that last wrote the row (a dlt load id is its start, in epoch seconds)
        to_timestamp(_dlt_load_id::numeric) as loaded_at
    from source
    where id is not null
)

select * from renamed
