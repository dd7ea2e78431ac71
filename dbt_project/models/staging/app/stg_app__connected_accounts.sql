-- token columns are deliberately not selected: nothing downstream of raw may carry them
with source as (
    select * from {{ source('app', 'connected_accounts') }}
),

renamed as (
    select
        account_id,
        workspace_id,
        platform,
        platform_account_id,
        handle,
        display_name,
        is_competitor,
        is_active,
        created_at,
        updated_at
    from source
)

select * from renamed
