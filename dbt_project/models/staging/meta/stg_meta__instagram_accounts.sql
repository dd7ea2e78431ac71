with source as (
    {{ select_source('meta', 'instagram_accounts', {
        'id': 'text', 'username': 'text', 'name': 'text', 'last_observed_at': 'timestamptz',
    }) }}
),

renamed as (
    select
        id as instagram_account_id,
        username,
        name as display_name,
        last_observed_at
    from source
    where id is not null
)

select * from renamed
