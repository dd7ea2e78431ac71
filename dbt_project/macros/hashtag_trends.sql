{#- Incremental hashtag_trends. A row's figures come from the posts of its day and of the
    `hashtag_baseline_days` before it, and a day's ranks from every series of that day, so a
    build can rewrite whole workspace-days from a first day on and leave the days before.
    That first day is `hashtag_lookback_days` (default 35: the longest window in which the
    sources re-read a post's metrics, 28 days, plus the baseline week) before the workspace's
    last stored day. The days before it are kept only while they still add up, on the
    all-platform rows, to the tagged posts and engagement that marts.posts holds for them now;
    when they do not (an account connected with old posts, purged or moved to another
    workspace; a post corrected after its polling window) the whole workspace is rewritten. -#}

{#- A workspace's last day with trends (an aggregate over its posts): a day is complete once
    the workspace was observed after it ended; the partial current day only with var
    hashtag_include_partial_day. -#}
{% macro hashtag_trends_last_date() -%}
    (max(metrics_observed_at) at time zone 'UTC')::date
    {%- if not var('hashtag_include_partial_day') %} - 1{% endif %}
{%- endmacro %}

{#- One row per workspace of `last_days`: from_date, the first day this build writes. -#}
{% macro hashtag_trends_recompute_from() -%}
    {%- if not is_incremental() %}
    select last_days.workspace_id, '-infinity'::date as from_date
    from last_days
    {%- else %}
    with stored as (
        select
            last_days.workspace_id,
            stored_last.last_date + 1 - {{ var('hashtag_lookback_days') }} as from_date
        from last_days
        cross join lateral (
            select max(t.metric_date) as last_date
            from {{ this }} as t
            where t.workspace_id = last_days.workspace_id
        ) as stored_last
    ),

    kept as (
        -- what the table holds for the days it keeps
        select
            t.workspace_id,
            coalesce(sum(t.posts), 0) as posts,
            coalesce(sum(t.engagement), 0) as engagement
        from {{ this }} as t
        inner join stored on t.workspace_id = stored.workspace_id
        where t.platform is null and t.metric_date < stored.from_date
        group by t.workspace_id
    ),

    now_there as (
        -- what the posts give for those days today
        select
            posts.workspace_id,
            count(*) as posts,
            coalesce(sum(posts.engagement), 0) as engagement
        from posts
        inner join stored on posts.workspace_id = stored.workspace_id
        cross join lateral unnest(posts.hashtags) as tag (hashtag)
        where posts.created_date < stored.from_date
        group by posts.workspace_id
    )

    select
        stored.workspace_id,
        case
            when
                stored.from_date is not null
                and coalesce(kept.posts, 0) = coalesce(now_there.posts, 0)
                and coalesce(kept.engagement, 0) = coalesce(now_there.engagement, 0)
                then stored.from_date
            else '-infinity'::date
        end as from_date
    from stored
    left join kept on stored.workspace_id = kept.workspace_id
    left join now_there on stored.workspace_id = now_there.workspace_id
    {%- endif %}
{%- endmacro %}

{#- After an incremental build: rows that a full build would not write any more (a workspace
    without tagged posts now, days before its first tagged post or after its last complete
    day), which no rewritten workspace-day replaced. -#}
{% macro hashtag_trends_prune() -%}
    {%- if is_incremental() %}
    delete from {{ this }} as t
    where not exists (
        select 1
        from (
            select
                workspace_id,
                min((created_at at time zone 'UTC')::date)
                    filter (where not is_deleted and cardinality(hashtags) > 0) as first_date,
                {{ hashtag_trends_last_date() }} as last_date
            from {{ ref('posts') }}
            group by workspace_id
        ) as valid
        where
            valid.workspace_id = t.workspace_id
            and t.metric_date between valid.first_date and valid.last_date
    )
    {%- else %}
    select 1
    {%- endif %}
{%- endmacro %}
