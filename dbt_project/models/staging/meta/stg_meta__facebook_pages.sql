with source as (
    {{ select_source('meta', 'facebook_pages', {
        'id': 'text', 'name': 'text', 'last_observed_at': 'timestamptz',
    }) }}
),

renamed as (
    select
        id as page_id,
        name as page_name,
        last_observed_at
    from source
    where id is not null
)

select * from renamed
