-- per workspace, platform, hashtag and complete UTC day (from the tag's first use in that
-- series to the last day that ended before the workspace's latest observation: the current,
-- partial day is left out unless var hashtag_include_partial_day), plus rows with platform null
-- that count every platform of the workspace together: posts using the tag, their engagement,
-- and velocity, one formula (DECISIONS.md, Benchmarks, hashtags, sentiment):
--   baseline = the series' `hashtag_baseline_days` (7) calendar days before metric_date, zero
--   days included, days before the first use and metric_date itself excluded (none on the
--   first use); velocity = (posts - mean(baseline)) / greatest(stddev_pop(baseline), 1), the
--   POPULATION sigma floored at one post (a first use scores its count, not infinity).
-- trending_rank orders the tags of one workspace, platform (or all) and day that reach
-- `hashtag_min_posts` posts that day; thinner rows have none
-- (workspace_id, platform, metric_date): the trending API's as_of, the latest all-platform day
-- of a workspace, is one backward probe (platform is null is an index condition)
-- Incremental (macros/hashtag_trends.sql): a build recomputes each workspace's last
-- `hashtag_lookback_days` days, and the whole workspace when the days before them no longer
-- add up to what is stored (an account connected, purged or moved; a late correction).
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['workspace_id', 'metric_date'],
    on_schema_change='append_new_columns',
    post_hook="{{ hashtag_trends_prune() }}",
    indexes=[
        {'columns': ['workspace_id', 'metric_date']},
        {'columns': ['workspace_id', 'platform', 'metric_date']},
    ],
) }}

with all_posts as (
    select * from {{ ref('posts') }}
),

last_days as (
    -- a day is complete once the workspace was observed after it ended
    select
        workspace_id,
        {{ hashtag_trends_last_date() }} as last_date
    from all_posts
    group by workspace_id
),

posts as (
    select
        all_posts.*,
        (all_posts.created_at at time zone 'UTC')::date as created_date
    from all_posts
    inner join last_days on all_posts.workspace_id = last_days.workspace_id
    where
        not all_posts.is_deleted
        and (all_posts.created_at at time zone 'UTC')::date <= last_days.last_date
),

recompute as (
    -- per workspace, the first day written by this build
    {{ hashtag_trends_recompute_from() }}
),

series as (
    -- every series and its first use (a series runs to the workspace's last day, so one not
    -- used in the recomputed days still has rows there); '' = every platform, as in by_day
    select
        posts.workspace_id,
        coalesce(posts.platform, '') as platform_key,
        tag.hashtag,
        min(posts.created_date) as first_date
    from posts
    cross join lateral unnest(posts.hashtags) as tag (hashtag)
    group by grouping sets (
        (posts.workspace_id, posts.platform, tag.hashtag),
        (posts.workspace_id, tag.hashtag)
    )
),

bounds as (
    -- from the first use, or the baseline days before the recomputed days when that is later:
    -- the baseline of the first recomputed day then reads the same days as a full build
    select
        series.workspace_id,
        series.platform_key,
        series.hashtag,
        recompute.from_date,
        last_days.last_date,
        greatest(
            series.first_date, recompute.from_date - {{ var('hashtag_baseline_days') }}
        ) as first_date
    from series
    inner join recompute on series.workspace_id = recompute.workspace_id
    inner join last_days on series.workspace_id = last_days.workspace_id
),

tagged as (
    -- the posts the recomputed days and their baselines read
    select
        posts.workspace_id,
        posts.platform,
        tag.hashtag,
        posts.created_date as metric_date,
        posts.engagement
    from posts
    inner join recompute on posts.workspace_id = recompute.workspace_id
    cross join lateral unnest(posts.hashtags) as tag (hashtag)
    where posts.created_date >= recompute.from_date - {{ var('hashtag_baseline_days') }}
),

by_day as (
    -- '' stands for "every platform" until the end: it joins and partitions like a value
    select
        workspace_id,
        coalesce(platform, '') as platform_key,
        hashtag,
        metric_date,
        count(*) as posts,
        coalesce(sum(engagement), 0) as engagement
    from tagged
    group by grouping sets (
        (workspace_id, platform, hashtag, metric_date),
        (workspace_id, hashtag, metric_date)
    )
),

spine as (
    select
        bounds.workspace_id,
        bounds.platform_key,
        bounds.hashtag,
        bounds.from_date,
        day::date as metric_date
    from bounds
    cross join
        lateral
        generate_series(bounds.first_date, bounds.last_date, interval '1 day') as day
),

filled as (
    select
        spine.*,
        coalesce(by_day.posts, 0) as posts,
        coalesce(by_day.engagement, 0) as engagement
    from spine
    left join by_day using (workspace_id, platform_key, hashtag, metric_date)
),

scored as (
    select
        *,
        count(*) over baseline_window as baseline_days,
        coalesce(avg(posts) over baseline_window, 0) as baseline_mean,
        coalesce(stddev_pop(posts) over baseline_window, 0) as baseline_stddev
    from filled
    window baseline_window as (
        partition by workspace_id, platform_key, hashtag order by metric_date
        rows between {{ var('hashtag_baseline_days') }} preceding and 1 preceding
    )
),

velocities as (
    select
        *,
        (posts - baseline_mean) / greatest(baseline_stddev, 1) as velocity,
        posts >= {{ var('hashtag_min_posts') }} as is_ranked
    from scored
),

ranked as (
    select
        *,
        rank() over (
            partition by workspace_id, platform_key, metric_date, is_ranked
            order by velocity desc, posts desc, engagement desc, hashtag asc
        ) as velocity_rank
    from velocities
),

final as (
    select
        workspace_id,
        nullif(platform_key, '') as platform,
        hashtag,
        metric_date,
        posts::bigint as posts,
        engagement::bigint as engagement,
        baseline_days::integer as baseline_days,
        baseline_mean::double precision as baseline_mean,
        baseline_stddev::double precision as baseline_stddev,
        velocity::double precision as velocity,
        (case when is_ranked then velocity_rank end)::bigint as trending_rank
    from ranked
    where metric_date >= from_date
)

select * from final
