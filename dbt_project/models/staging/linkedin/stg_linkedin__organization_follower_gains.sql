-- daily follower gains of the time-bound follower statistics (organic + paid, net of losses)
with source as (
    {{ select_source('linkedin', 'organization_follower_gains', {
        'organization_id': 'text', 'gain_date': 'date', 'organic_follower_gain': 'bigint',
        'paid_follower_gain': 'bigint', 'observed_at': 'timestamptz',
    }) }}
),

renamed as (
    select
        organization_id,
        gain_date as metric_date,
        organic_follower_gain + coalesce(paid_follower_gain, 0) as follower_gain,
        observed_at
    from source
    where organization_id is not null and gain_date is not null
        and organic_follower_gain is not null
)

select * from renamed
