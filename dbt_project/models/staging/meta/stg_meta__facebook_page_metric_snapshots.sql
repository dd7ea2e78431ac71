with source as (
    {{ select_source('meta', 'facebook_page_metric_snapshots', {
        'page_id': 'text', 'observed_at': 'timestamptz', 'fan_count': 'bigint',
        'followers_count': 'bigint',
    }) }}
),

renamed as (
    select
        page_id,
        fan_count,
        followers_count,
        observed_at
    from source
    where page_id is not null and observed_at is not null
)

select * from renamed
