with source as (
    {{ select_source('twitter', 'user_metric_snapshots', {
        'user_id': 'text', 'observed_at': 'timestamptz', 'followers_count': 'bigint',
        'following_count': 'bigint', 'tweet_count': 'bigint', 'listed_count': 'bigint',
    }) }}
),

renamed as (
    select
        user_id,
        followers_count,
        following_count,
        tweet_count,
        listed_count,
        observed_at
    from source
    where user_id is not null and observed_at is not null
)

select * from renamed
