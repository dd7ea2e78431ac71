{#- Baseline statistics of a candidate post (a lateral subquery over `mature`): the account's
    mature posts created in the `viral_baseline_days` before it; when fewer than
    `viral_min_baseline_posts`, topped up with the account's nearest posts in time. Posts above
    `viral_baseline_trim` x the lower quartile are earlier breakouts and are left out, so
    earlier viral posts (even half of the window) do not blind the rule to the next one. -#}
{% macro viral_baseline(candidate) -%}
        with pool as (
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
            from mature
            where
                mature.platform = {{ candidate }}.platform
                and mature.platform_account_id = {{ candidate }}.platform_account_id
                and mature.post_id <> {{ candidate }}.post_id
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
