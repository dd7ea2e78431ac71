{#- Baseline statistics of a candidate post (a lateral subquery over `pool`, the
    int_viral_baseline_pool relation): the account's mature posts created in the
    `viral_baseline_days` before it; when fewer than `viral_min_baseline_posts`, topped up with
    the account's nearest posts in time. Posts above `viral_baseline_trim` x the lower quartile
    are earlier breakouts and are left out, so earlier viral posts (even half of the window) do
    not blind the rule to the next one. The nearest top-ups are always among the
    `viral_min_baseline_posts` latest posts before the window and the as many earliest ones
    from the candidate on, so only those and the window are read (three index range scans on
    the pool's (platform, platform_account_id, created_at)), never the account's whole history. -#}
{% macro viral_baseline(candidate, pool) -%}
        with nearby as (
            select near.* from {{ pool }} as near
            where
                near.platform = {{ candidate }}.platform
                and near.platform_account_id = {{ candidate }}.platform_account_id
                and near.created_at >= {{ candidate }}.created_at
                - interval '{{ var("viral_baseline_days") }} days'
                and near.created_at < {{ candidate }}.created_at
            union all
            (
                select near.* from {{ pool }} as near
                where
                    near.platform = {{ candidate }}.platform
                    and near.platform_account_id = {{ candidate }}.platform_account_id
                    and near.created_at < {{ candidate }}.created_at
                    - interval '{{ var("viral_baseline_days") }} days'
                order by near.created_at desc
                limit {{ var('viral_min_baseline_posts') }}
            )
            union all
            (
                select near.* from {{ pool }} as near
                where
                    near.platform = {{ candidate }}.platform
                    and near.platform_account_id = {{ candidate }}.platform_account_id
                    and near.created_at >= {{ candidate }}.created_at
                    and near.post_id <> {{ candidate }}.post_id
                order by near.created_at asc
                limit {{ var('viral_min_baseline_posts') }}
            )
        ),

        pool as (
            select
                mature.engagement,
                {{ engagement_rate_by_followers('mature.engagement', 'mature.followers_at_post') }}
                    as rate,
                row_number() over (order by
                    mature.created_at >= {{ candidate }}.created_at
                    - interval '{{ var("viral_baseline_days") }} days'
                    and mature.created_at < {{ candidate }}.created_at desc,
                    abs(extract(epoch from mature.created_at - {{ candidate }}.created_at))
                ) as nearness,
                count(*) filter (where
                    mature.created_at >= {{ candidate }}.created_at
                    - interval '{{ var("viral_baseline_days") }} days'
                    and mature.created_at < {{ candidate }}.created_at
                ) over () as in_window
            from nearby as mature
        ),

        chosen as (
            select * from pool
            where nearness <= greatest(in_window, {{ var('viral_min_baseline_posts') }})
        ),

        trimmed as (
            select chosen.* from chosen
            where chosen.engagement <= {{ var('viral_baseline_trim') }} * (
                select percentile_cont(0.25) within group (order by c.engagement)
                from chosen as c
            )
        )

        select
            count(*) as baseline_posts,
            avg(engagement) as engagement_mean,
            stddev_samp(engagement) as engagement_stddev,
            avg(rate) as rate_mean,
            stddev_samp(rate) as rate_stddev
        from trimmed
        having count(*) >= 3
{%- endmacro %}

{#- One rule over `observed` (a candidate's snapshots with its baseline): the value, the
    baseline and the threshold greatest(mean + k * sigma, viral_min_lift * mean). -#}
{% macro viral_rule(rule, metric, k) -%}
    select
        post_id,
        platform_post_id,
        platform,
        platform_account_id,
        created_at,
        first_observed_at,
        '{{ rule }}'::text as rule,
        observed_at,
        {{ metric }} as metric_value,
        {{ metric }}_mean as baseline_mean,
        {{ metric }}_stddev as baseline_stddev,
        greatest(
            {{ metric }}_mean + {{ k }} * {{ metric }}_stddev,
            {{ var('viral_min_lift') }} * {{ metric }}_mean
        ) as threshold
    from observed
    where {{ metric }}_stddev > 0
{%- endmacro %}
