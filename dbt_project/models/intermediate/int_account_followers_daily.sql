-- end-of-day followers of every account and UTC day from the first day known to the last
-- observed day: the day's last snapshot; before the first snapshot, the platform's follower
-- history; on a later day without a sync, the last count carried forward.
-- followers_source says which (snapshot | platform_history | carried_forward).
{{ config(
    materialized='table',
    indexes=[{'columns': ['platform', 'platform_account_id', 'metric_date'], 'unique': True}],
) }}

with account_snapshots as (
    select * from {{ ref('int_account_snapshots_unioned') }}
),

history as (
    select * from {{ ref('int_account_follower_history') }}
),

observed_days as (
    select distinct on (platform, platform_account_id, (observed_at at time zone 'UTC')::date)
        platform,
        platform_account_id,
        (observed_at at time zone 'UTC')::date as metric_date,
        followers_count
    from account_snapshots
    where followers_count is not null
    order by
        platform asc,
        platform_account_id asc,
        (observed_at at time zone 'UTC')::date,
        observed_at desc
),

first_observed as (
    select
        platform,
        platform_account_id,
        min(metric_date) as first_observed_date
    from observed_days
    group by 1, 2
),

history_days as (
    select history.*
    from history
    inner join first_observed
        on
            history.platform = first_observed.platform
            and history.platform_account_id = first_observed.platform_account_id
    where history.metric_date < first_observed.first_observed_date
),

spine as (
    select
        first_observed.platform,
        first_observed.platform_account_id,
        day::date as metric_date
    from first_observed
    cross join lateral generate_series(
        least(
            first_observed.first_observed_date,
            (
                select min(h.metric_date) from history_days as h
                where
                    h.platform = first_observed.platform
                    and h.platform_account_id = first_observed.platform_account_id
            )
        ),
        (select max(metric_date) from observed_days), interval '1 day'
    ) as day
),

filled as (
    select
        spine.*,
        coalesce(observed_days.followers_count, history_days.followers) as known_followers,
        case
            when observed_days.followers_count is not null then 'snapshot'
            when history_days.followers is not null then 'platform_history'
        end as known_source
    from spine
    left join observed_days using (platform, platform_account_id, metric_date)
    left join history_days using (platform, platform_account_id, metric_date)
),

grouped as (
    select
        *,
        count(known_followers) over by_day as followers_group
    from filled
    window by_day as (partition by platform, platform_account_id order by metric_date)
),

final as (
    select
        platform,
        platform_account_id,
        metric_date,
        (max(known_followers) over by_group)::bigint as followers,
        coalesce(known_source, 'carried_forward') as followers_source
    from grouped
    window by_group as (partition by platform, platform_account_id, followers_group)
)

select * from final
