-- the daily page_follows insight: the page's followers at the end of each day
with source as (
    {{ select_source('meta', 'facebook_page_follows_insights', {
        'page_id': 'text', 'metric_date': 'date', 'page_follows': 'bigint',
        'end_time': 'timestamptz', 'observed_at': 'timestamptz',
    }) }}
),

renamed as (
    select
        page_id,
        metric_date,
        page_follows as followers_count,
        observed_at
    from source
    where page_id is not null and metric_date is not null and page_follows is not null
)

select * from renamed
