with source as (
    select * from {{ source('app', 'workspaces') }}
),

renamed as (
    select
        workspace_id,
        agency_id,
        name as workspace_name,
        slug as workspace_slug,
        created_at
    from source
)

select * from renamed
