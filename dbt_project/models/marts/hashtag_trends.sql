-- per workspace, platform, hashtag and UTC day (from the tag's first use in that series to the
-- workspace's last tagged post day), plus rows with platform null that count every platform of
-- the workspace together: posts using the tag, their engagement, and velocity = the day's posts
-- as a z-score against the series' own trailing `hashtag_baseline_days` days (population
-- sigma floored at one post, so a first use scores its count rather than infinity);
-- trending_rank orders the tags of one workspace, platform (or all) and day
{{ config(indexes=[{'columns': ['workspace_id', 'metric_date']}]) }}

with posts as (
    select * from {{ ref('posts') }}
    where not is_deleted
),

tagged as (
    select
        posts.workspace_id,
        posts.platform,
        tag.hashtag,
        (posts.created_at at time zone 'UTC')::date as metric_date,
        posts.engagement
    from posts
    cross join lateral unnest(posts.hashtags) as tag (hashtag)
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

bounds as (
    select
        workspace_id,
        platform_key,
        hashtag,
        min(metric_date) as first_date,
        max(max(metric_date)) over (partition by workspace_id) as last_date
    from by_day
    group by workspace_id, platform_key, hashtag
),

spine as (
    select
        bounds.workspace_id,
        bounds.platform_key,
        bounds.hashtag,
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
        coalesce(avg(posts) over baseline_window, 0) as baseline_mean,
        coalesce(stddev_pop(posts) over baseline_window, 0) as baseline_stddev
    from filled
    window baseline_window as (
        partition by workspace_id, platform_key, hashtag order by metric_date
        rows between {{ var('hashtag_baseline_days') }} preceding and 1 preceding
    )
),

final as (
    select
        workspace_id,
        nullif(platform_key, '') as platform,
        hashtag,
        metric_date,
        posts::bigint as posts,
        engagement::bigint as engagement,
        baseline_mean::double precision as baseline_mean,
        ((posts - baseline_mean) / greatest(baseline_stddev, 1))::double precision as velocity,
        rank() over (
            partition by workspace_id, platform_key, metric_date
            order by
                (posts - baseline_mean) / greatest(baseline_stddev, 1) desc,
                posts desc, engagement desc, hashtag asc
        )::bigint as trending_rank
    from scored
)

select * from final
