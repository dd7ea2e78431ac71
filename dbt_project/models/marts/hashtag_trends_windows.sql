-- hashtag_trends over a window of `hashtag_window_days` (7, the API's default) days: per
-- workspace, platform key ('' = every platform, the rows hashtag_trends has with platform
-- null), hashtag and window end, the window's sums and extremes. Trending hashtags for that
-- window then read one row per workspace and tag at as_of instead of every day of the window:
-- sums of sums, maxima of maxima and minima of minima over workspaces are what the daily rows
-- give, so no figure changes. Windows also end on the days after a series' last day (up to a
-- window later), so an as_of past one workspace's last complete day still counts its last days.
{{ config(indexes=[
    {'columns': ['workspace_id', 'window_end', 'platform_key']},
]) }}

{%- set days = var('hashtag_window_days', 7) | int %}

with trends as (
    select
        workspace_id,
        coalesce(platform, '') as platform_key,
        hashtag,
        metric_date,
        posts,
        engagement,
        velocity,
        trending_rank
    from {{ ref('hashtag_trends') }}
),

series_ends as (
    select
        workspace_id,
        platform_key,
        hashtag,
        max(metric_date) as last_date
    from trends
    group by workspace_id, platform_key, hashtag
),

padded as (
    -- the window ends after the series' last day: rows without a day of their own
    select * from trends
    union all
    select
        series_ends.workspace_id,
        series_ends.platform_key,
        series_ends.hashtag,
        (series_ends.last_date + pad.n)::date as metric_date,
        0::bigint as posts,
        0::bigint as engagement,
        null::double precision as velocity,
        null::bigint as trending_rank
    from series_ends
    cross join generate_series(1, {{ days }} - 1) as pad (n)
),

windows as (
    select
        workspace_id,
        platform_key,
        hashtag,
        metric_date as window_end,
        sum(posts) over window_days as posts,
        sum(engagement) over window_days as engagement,
        -- the velocity and rank on the window's last day (null on a padding day)
        velocity,
        trending_rank,
        max(velocity) over window_days as peak_velocity
    from padded
    window window_days as (
        partition by workspace_id, platform_key, hashtag order by metric_date
        range between interval '{{ days - 1 }} days' preceding and current row
    )
),

final as (
    select
        workspace_id,
        platform_key,
        hashtag,
        window_end,
        posts::bigint as posts,
        engagement::bigint as engagement,
        velocity::double precision as velocity,
        peak_velocity::double precision as peak_velocity,
        trending_rank::bigint as trending_rank
    from windows
)

select * from final
