-- every follower observation of every account (one per sync): incremental like the post
-- snapshots; marts look up "followers at a time" through the (platform, account, time) index
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['platform', 'platform_account_id', 'observed_at'],
    on_schema_change='append_new_columns',
    indexes=[
        {'columns': ['platform', 'platform_account_id', 'observed_at'], 'unique': True},
    ],
    post_hook="{{ maybe_hypertable(this, 'observed_at') }}",
) }}

with unioned as (
    {{ union_conformed([
        'int_twitter__account_snapshots_conformed',
        'int_instagram__account_snapshots_conformed',
        'int_facebook__account_snapshots_conformed',
        'int_linkedin__account_snapshots_conformed',
    ]) }}
),

final as (
    select * from unioned
    {{ observed_within_lookback() }}
)

select * from final
