with source as (
    {{ select_source('twitter', 'tweet_metric_snapshots', {
        'tweet_id': 'text', 'author_id': 'text', 'observed_at': 'timestamptz',
        'retweet_count': 'bigint', 'reply_count': 'bigint', 'like_count': 'bigint',
        'quote_count': 'bigint', 'bookmark_count': 'bigint', 'impression_count': 'bigint',
        'url_link_clicks': 'bigint', 'user_profile_clicks': 'bigint',
    }) }}
),

renamed as (
    select
        tweet_id,
        author_id as user_id,
        retweet_count,
        reply_count,
        like_count,
        quote_count,
        bookmark_count,
        impression_count,
        url_link_clicks,
        user_profile_clicks,
        observed_at
    from source
    where tweet_id is not null and observed_at is not null
)

select * from renamed
