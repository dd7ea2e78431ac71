-- per account, UTC weekday (1 = Monday) and hour it posted in over the last `best_time_weeks`
-- weeks (Sprout's optimal send times use 16): posts and the median engagement rate by followers
-- of the typical mature post. A median, so one viral post cannot decide a slot; and at least
-- `best_time_min_posts` mature rated posts, else the next coarser sample decides: the account's
-- weekday, then its hour, then the platform (every account of the workspace on it); which one
-- is `sample_level`. The slot's own rate is the ratio of the rated-post sums kept next to it.
-- Indexed on workspace_id for the dashboards' row-level security filter. Refreshed once per
-- data day (macros/daily_refresh.sql): slots over 16 weeks do not move within a day, and this
-- is the costliest table of a cycle to rebuild. as_of_date says which day it was computed for.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ daily_refresh_pre_hook() }}",
    indexes=[{'columns': ['workspace_id', 'account_id']}],
) }}

-- depends_on: {{ ref('stg_app__connected_accounts') }}
with posts as (
    select * from {{ ref('posts') }}
    where
        not is_deleted
        {%- if not daily_refresh_due() %}
        and false
        {%- endif %}
),

as_of as (
    select {{ data_date() }} as as_of_date
),

cutoff as (
    select max(created_at) - interval '{{ var("best_time_weeks") }} weeks' as since
    from posts
),

recent as (
    select
        posts.*,
        extract(isodow from posts.created_at at time zone 'UTC')::integer as weekday,  -- noqa: RF04
        extract(hour from posts.created_at at time zone 'UTC')::integer as hour_utc,
        -- the sample of every median: mature posts with a rate by followers
        case when posts.is_mature then posts.engagement_rate_by_followers end as mature_rate
    from posts
    inner join cutoff on posts.created_at >= cutoff.since
),

cells as (
    select
        account_id, workspace_id, platform, weekday, hour_utc,
        count(*) as posts,
        count(mature_rate) as cell_sample_size,
        percentile_cont(0.5) within group (order by mature_rate) as cell_median,
        avg(engagement) as mean_engagement,
        count(*) filter (where {{ is_rated_post() }}) as rated_posts,
        {{ sum_of_rated_posts('followers_at_post') }} as followers_at_post_sum,
        {{ sum_of_rated_posts('engagement') }} as engagement_of_rated_posts,
        {{ engagement_rate_by_followers_of_posts() }} as engagement_rate_by_followers
    from recent
    group by 1, 2, 3, 4, 5
),

{% for level, keys in [('weekday', ['account_id', 'weekday']),
                       ('hour', ['account_id', 'hour_utc']),
                       ('platform', ['workspace_id', 'platform'])] %}
by_{{ level }} as (
    select
        {{ keys | join(', ') }},
        count(mature_rate) as sample_size,
        percentile_cont(0.5) within group (order by mature_rate) as median
    from recent
    group by {{ keys | join(', ') }}
),
{% endfor %}

leveled as (
    select
        cells.*,
        case
            when cells.cell_sample_size >= {{ var('best_time_min_posts') }} then 'weekday_hour'
            when by_weekday.sample_size >= {{ var('best_time_min_posts') }} then 'weekday'
            when by_hour.sample_size >= {{ var('best_time_min_posts') }} then 'hour'
            when by_platform.sample_size >= {{ var('best_time_min_posts') }} then 'platform'
            else 'too_few_posts'
        end as sample_level,
        by_weekday.sample_size as weekday_sample_size, by_weekday.median as weekday_median,
        by_hour.sample_size as hour_sample_size, by_hour.median as hour_median,
        by_platform.sample_size as platform_sample_size, by_platform.median as platform_median
    from cells
    inner join by_weekday using (account_id, weekday)
    inner join by_hour using (account_id, hour_utc)
    inner join by_platform using (workspace_id, platform)
),

decided as (
    select
        *,
        case sample_level
            when 'weekday_hour' then cell_median when 'weekday' then weekday_median
            when 'hour' then hour_median when 'platform' then platform_median
        end as median_engagement_rate,
        case sample_level
            when 'weekday_hour' then cell_sample_size when 'weekday' then weekday_sample_size
            when 'hour' then hour_sample_size when 'platform' then platform_sample_size
            else cell_sample_size
        end as sample_size
    from leveled
),

ranked as (
    select
        *,
        -- only slots with evidence about their own time are ranked: a platform-level median
        -- is the same for every slot and says nothing about when to post
        sample_level in ('weekday_hour', 'weekday', 'hour') as is_ranked,
        rank() over (
            partition by account_id, sample_level in ('weekday_hour', 'weekday', 'hour')
            order by median_engagement_rate desc
        ) as median_rank
    from decided
),

final as (
    select
        account_id,
        workspace_id,
        platform,
        weekday,
        hour_utc,
        posts::bigint as posts,
        cell_sample_size::bigint as cell_sample_size,
        cell_median::double precision as cell_median_engagement_rate,
        sample_level,
        sample_size::bigint as sample_size,
        median_engagement_rate::double precision as median_engagement_rate,
        (case when is_ranked then median_rank end)::bigint as best_time_rank,
        mean_engagement::double precision as mean_engagement,
        rated_posts::bigint as rated_posts,
        followers_at_post_sum::bigint as followers_at_post_sum,
        engagement_of_rated_posts::bigint as engagement_of_rated_posts,
        engagement_rate_by_followers,
        (select as_of.as_of_date from as_of) as as_of_date
    from ranked
)

select * from final
