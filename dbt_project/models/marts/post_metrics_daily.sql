-- one row per post and UTC day it was observed: the values at the day's last observation and
-- the change since the previous observed day. Backfill: what a post had gained before its
-- first observation is booked on its publication day (an is_backfilled row carrying the first
-- observation), so the first observed day's delta counts only what came after it (DECISIONS.md).
-- delete+insert re-processes the last `lookback_days` days, older days are left alone.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['post_id', 'metric_date'],
    on_schema_change='append_new_columns',
    indexes=[
        {'columns': ['post_id', 'metric_date'], 'unique': True},
        {'columns': ['platform', 'platform_account_id', 'metric_date']},
        {'columns': ['metric_date']},
    ],
) }}

{%- set metrics = ['impressions', 'reach', 'views', 'likes', 'comments', 'shares', 'saves',
                   'clicks', 'engagement', 'public_engagement'] %}

with snapshots as (
    select * from {{ ref('int_post_metric_snapshots_unioned') }}
    {% if is_incremental() %}
    where observed_at >= (
            select max(metric_date) - {{ var('lookback_days') }} from {{ this }}
        )::timestamp at time zone 'UTC'
    {% endif %}
),

posts as (
    select * from {{ ref('int_posts_unioned') }}
),

end_of_day as (
    select distinct on (post_id, (observed_at at time zone 'UTC')::date)
        post_id,
        platform_post_id,
        platform,
        platform_account_id,
        (observed_at at time zone 'UTC')::date as metric_date,
        observed_at,
        {{ metrics | join(',\n        ') }},
        false as is_previous,
        false as is_backfilled
    from snapshots
    order by post_id asc, (observed_at at time zone 'UTC')::date, observed_at desc
),

first_observed as (
    -- each post's first observation in the window, booked on its publication day when that
    -- is an earlier day; a post with a stored day before the window has had its backfill
    select distinct on (snapshots.post_id)
        snapshots.post_id,
        snapshots.platform_post_id,
        snapshots.platform,
        snapshots.platform_account_id,
        (posts.created_at at time zone 'UTC')::date as metric_date,
        snapshots.observed_at,
        {% for metric in metrics -%}
        snapshots.{{ metric }},
        {% endfor -%}
        false as is_previous,
        true as is_backfilled
    from snapshots
    inner join posts on snapshots.post_id = posts.post_id
    order by snapshots.post_id asc, snapshots.observed_at asc
),

{% if is_incremental() %}
previous as (
    -- the last day already stored before the window: the base of the first delta
    select distinct on (post_id)
        post_id, platform_post_id, platform, platform_account_id, metric_date, observed_at,
        {{ metrics | join(', ') }},
        true as is_previous,
        is_backfilled
    from {{ this }}
    where
        metric_date < (select max(metric_date) - {{ var('lookback_days') }} from {{ this }})
        and not is_backfilled
        and post_id in (select end_of_day.post_id from end_of_day)
    order by post_id asc, metric_date desc
),
{% endif %}

combined as (
    select * from end_of_day
    {% if is_incremental() %}
    union all
    select * from previous
    {% endif %}
    union all
    select first_observed.* from first_observed
    where
        first_observed.metric_date < (first_observed.observed_at at time zone 'UTC')::date
        {%- if is_incremental() %}
        and first_observed.post_id not in (select previous.post_id from previous)
        {%- endif %}
),

deltas as (
    select
        post_id,
        platform_post_id,
        platform,
        platform_account_id,
        metric_date,
        observed_at,
        {%- for metric in metrics %}
        {{ metric }}::bigint as {{ metric }},
        {%- endfor %}
        {%- for metric in metrics %}
        ({{ metric }} - coalesce(lag({{ metric }}) over by_post, 0))::bigint
            as {{ metric }}_delta,
        {%- endfor %}
        '{{ invocation_id }}'::text as dbt_invocation_id,
        now() as processed_at,
        is_previous,
        is_backfilled
    from combined
    window by_post as (partition by post_id order by metric_date)
),

final as (
    select
        post_id, platform_post_id, platform, platform_account_id, metric_date, observed_at,
        {{ metrics | join(', ') }},
        {%- for metric in metrics %}
        {{ metric }}_delta,
        {%- endfor %}
        is_backfilled,
        dbt_invocation_id,
        processed_at
    from deltas
    where not is_previous
)

select * from final
