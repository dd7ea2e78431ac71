with source as (
    {{ select_source('twitter', 'users', {
        'id': 'text', 'username': 'text', 'name': 'text', 'created_at': 'timestamptz',
        'last_observed_at': 'timestamptz',
    }) }}
),

renamed as (
    select
        id as user_id,
        username,
        name as display_name,
        created_at,
        last_observed_at
    from source
    where id is not null
)

select * from renamed
