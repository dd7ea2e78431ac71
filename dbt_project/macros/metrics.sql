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

{#- "platform:post_id", the cross-platform post key -#}
{% macro post_key(platform, post_id) -%}
    ({{ platform }} || ':' || {{ post_id }})
{%- endmacro %}
