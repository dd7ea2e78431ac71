with source as (
    {{ select_source('meta', 'instagram_account_metric_snapshots', {
        'account_id': 'text', 'observed_at': 'timestamptz', 'followers_count': 'bigint',
        'follows_count': 'bigint', 'media_count': 'bigint',
    }) }}
),

renamed as (
    select
        account_id as instagram_account_id,
        followers_count,
        follows_count,
        media_count,
        observed_at
    from source
    where account_id is not null and observed_at is not null
)

select * from renamed
