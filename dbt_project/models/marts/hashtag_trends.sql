-- per workspace, hashtag and UTC day (from the tag's first use to the workspace's last post):
-- posts using it, their engagement, and velocity = today's posts as a z-score against the
-- trailing `hashtag_baseline_days` days (sigma floored at one post, so a first use scores its
-- count rather than infinity); trending_rank orders a workspace's tags per day
{{ config(indexes=[{'columns': ['workspace_id', 'metric_date']}]) }}

with posts as (
    select * from {{ ref('posts') }}
    where not is_deleted
),

tagged as (
    select
        posts.workspace_id,
        tag.hashtag,
        (posts.created_at at time zone 'UTC')::date as metric_date,
        posts.engagement
    from posts
    cross join lateral unnest(posts.hashtags) as tag (hashtag)
),

by_day as (
    select
        workspace_id,
        hashtag,
        metric_date,
        count(*) as posts,
        coalesce(sum(engagement), 0) as engagement
    from tagged
    group by 1, 2, 3
),

last_days as (
    select
        workspace_id,
        max(metric_date) as last_date
    from by_day
    group by workspace_id
),

bounds as (
    select
        by_day.workspace_id,
        by_day.hashtag,
        min(by_day.metric_date) as first_date,
        max(last_days.last_date) as last_date
    from by_day
    inner join last_days on by_day.workspace_id = last_days.workspace_id
    group by by_day.workspace_id, by_day.hashtag
),

spine as (
    select
        bounds.workspace_id,
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
    left join by_day using (workspace_id, hashtag, metric_date)
),

scored as (
    select
        *,
        avg(posts) over baseline_window as baseline_mean,
        coalesce(stddev_pop(posts) over baseline_window, 0) as baseline_stddev
    from filled
    window baseline_window as (
        partition by workspace_id, hashtag order by metric_date
        rows between {{ var('hashtag_baseline_days') }} preceding and 1 preceding
    )
),

final as (
    select
        workspace_id,
        hashtag,
        metric_date,
        posts::bigint as posts,
        engagement::bigint as engagement,
        coalesce(baseline_mean, 0)::double precision as baseline_mean,
        ((posts - coalesce(baseline_mean, 0)) / greatest(baseline_stddev, 1))::double precision
            as velocity,
        rank() over (
            partition by workspace_id, metric_date
            order by
                (posts - coalesce(baseline_mean, 0)) / greatest(baseline_stddev, 1) desc,
                posts desc, engagement desc, hashtag asc
        )::bigint as trending_rank
    from scored
)

select * from final
