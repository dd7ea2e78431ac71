{#- The metric formulas. Every mart computes a metric through the macro named after it, so one
    metric has one formula (DECISIONS.md, Modelling: the metric table names each macro).

    Rule for every ratio over a period or a set (several posts, days, accounts): a ratio of
    sums, never an average of ratios: sum(numerator) / sum(denominator) over the same rows.
    Callers pass the sums as arguments; the *_of_rated_posts macros give those sums where
    only some posts can be rated. -#}

{#- Canonical engagement: public interactions a competitor can see too (likes, comments,
    shares, saves). Clicks and views are not engagement here; see DECISIONS.md (Modelling). -#}
{% macro engagement(likes='likes', comments='comments', shares='shares', saves='saves') -%}
    (coalesce({{ likes }}, 0) + coalesce({{ comments }}, 0)
        + coalesce({{ shares }}, 0) + coalesce({{ saves }}, 0))
{%- endmacro %}

{#- numerator / denominator, null when the denominator is null or zero -#}
{% macro safe_ratio(numerator, denominator) -%}
    ({{ numerator }})::double precision / nullif({{ denominator }}, 0)
{%- endmacro %}

{#- "<platform>:<platform_post_id>", the post id unique across platforms -#}
{% macro post_id(platform, platform_post_id) -%}
    ({{ platform }} || ':' || {{ platform_post_id }})
{%- endmacro %}

{#- engagement / followers. Per post: its engagement / followers at post time. Over a period:
    sum(engagement of rated posts) / sum(their followers at post time) -#}
{% macro engagement_rate_by_followers(engagement='engagement', followers='followers_at_post') -%}
    {{ safe_ratio(engagement, followers) }}
{%- endmacro %}

{#- engagement / impressions (null where the platform gives no impressions) -#}
{% macro engagement_rate_by_impressions(engagement='engagement', impressions='impressions') -%}
    {{ safe_ratio(engagement, impressions) }}
{%- endmacro %}

{#- engagement / reach (null where the platform gives no reach) -#}
{% macro engagement_rate_by_reach(engagement='engagement', reach='reach') -%}
    {{ safe_ratio(engagement, reach) }}
{%- endmacro %}

{#- A post that has a rate by followers: engagement observed and followers at post time known
    (and not zero). Only these posts enter either sum of a period's rate, so a post without
    metrics or followers moves neither the numerator nor the denominator. -#}
{% macro is_rated_post(engagement='engagement', followers='followers_at_post') -%}
    ({{ engagement }} is not null and {{ followers }} > 0)
{%- endmacro %}

{#- sum of `value` over the rated posts of the group (0 when there is none) -#}
{% macro sum_of_rated_posts(value, engagement='engagement', followers='followers_at_post') -%}
    coalesce(sum({{ value }}) filter (where {{ is_rated_post(engagement, followers) }}), 0)
{%- endmacro %}

{#- the group's engagement rate by followers: ratio of the two sums above -#}
{% macro engagement_rate_by_followers_of_posts(
    engagement='engagement', followers='followers_at_post'
) -%}
    {{ engagement_rate_by_followers(
        sum_of_rated_posts(engagement, engagement, followers),
        sum_of_rated_posts(followers, engagement, followers)) }}
{%- endmacro %}

{#- an account's share of its competitive set's (public) engagement in a period -#}
{% macro share_of_voice(engagement, set_engagement) -%}
    {{ safe_ratio(engagement, set_engagement) }}
{%- endmacro %}

{#- posts per day of the period -#}
{% macro posting_frequency(posts, days) -%}
    {{ safe_ratio(posts, days) }}
{%- endmacro %}

{#- engagement (or public engagement) per post published, null without posts -#}
{% macro engagement_per_post(engagement, posts) -%}
    {{ safe_ratio(engagement, posts) }}
{%- endmacro %}
