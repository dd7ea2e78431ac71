-- every metric observation of every post; grows with each sync, so it is an incremental table
-- (a lookback re-reads recent observations: each platform's sync carries its own clock)
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['post_id', 'observed_at'],
    on_schema_change='append_new_columns',
    indexes=[
        {'columns': ['post_id', 'observed_at'], 'unique': True},
        {'columns': ['platform', 'platform_account_id', 'observed_at']},
        {'columns': ['observed_at'], 'type': 'brin'},
    ],
    post_hook="{{ maybe_hypertable(this, 'observed_at') }}",
) }}

with unioned as (
    {{ union_conformed([
        'int_twitter__post_metric_snapshots_conformed',
        'int_instagram__post_metric_snapshots_conformed',
        'int_facebook__post_metric_snapshots_conformed',
        'int_linkedin__post_metric_snapshots_conformed',
    ]) }}
),

final as (
    select * from unioned
    {{ observed_within_lookback() }}
)

select * from final
