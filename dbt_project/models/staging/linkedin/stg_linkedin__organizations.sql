with source as (
    {{ select_source('linkedin', 'organizations', {
        'id': 'text', 'vanity_name': 'text', 'name': 'text',
        'last_observed_at': 'timestamptz',
    }) }}
),

renamed as (
    select
        id as organization_id,
        vanity_name,
        name as organization_name,
        last_observed_at
    from source
    where id is not null
)

select * from renamed
