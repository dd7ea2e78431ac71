with source as (
    {{ select_source('linkedin', 'organization_metric_snapshots', {
        'organization_id': 'text', 'observed_at': 'timestamptz', 'follower_count': 'bigint',
        'organic_follower_gain': 'bigint', 'paid_follower_gain': 'bigint',
        'gain_date': 'date',
    }) }}
),

renamed as (
    select
        organization_id,
        follower_count,
        organic_follower_gain,
        paid_follower_gain,
        gain_date,
        observed_at
    from source
    where organization_id is not null and observed_at is not null
)

select * from renamed
