-- the daily follower_count insight: Graph's change in followers of each day
with source as (
    {{ select_source('meta', 'instagram_follower_count_insights', {
        'account_id': 'text', 'metric_date': 'date', 'follower_count': 'bigint',
        'end_time': 'timestamptz', 'observed_at': 'timestamptz',
    }) }}
),

renamed as (
    select
        account_id as instagram_account_id,
        metric_date,
        follower_count as follower_gain,
        observed_at
    from source
    where account_id is not null and metric_date is not null and follower_count is not null
)

select * from renamed
