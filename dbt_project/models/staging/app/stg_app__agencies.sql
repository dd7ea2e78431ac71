with source as (
    select * from {{ source('app', 'agencies') }}
),

renamed as (
    select
        agency_id,
        name as agency_name,
        created_at
    from source
)

select * from renamed
