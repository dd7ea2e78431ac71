{#- Why a competitive set member cannot be benchmarked, null when it can: competitors on the
    platforms of var benchmark_unavailable_competitors (the platform gives a third party no
    posts of theirs). Their figures are unknown, not 0 (DECISIONS.md, Benchmarks). Facebook
    drops out of the list when the deployment declares Page Public Content Access: var
    meta_page_public_content_access, by default the environment's
    META_PAGE_PUBLIC_CONTENT_ACCESS (the switch the Meta source reads too). -#}
{% macro benchmark_unavailable_reason(platform, is_competitor) -%}
    {%- set unavailable = var('benchmark_unavailable_competitors', {}) -%}
    {%- set declared = var('meta_page_public_content_access',
        env_var('META_PAGE_PUBLIC_CONTENT_ACCESS', '')) -%}
    {%- set ppca = declared | string | trim | lower in ['1', 'true', 'yes', 'on'] -%}
    {%- if unavailable is mapping and ppca -%}
        {%- set unavailable = dict(unavailable) -%}
        {%- do unavailable.pop('facebook', none) -%}
    {%- endif -%}
    {%- if unavailable is mapping and unavailable -%}
    case
        {%- for name, reason in unavailable.items() %}
        when {{ is_competitor }} and {{ platform }} = '{{ name }}'
            then '{{ reason | replace("'", "''") }}'
        {%- endfor %}
    end
    {%- else -%}
    null::text
    {%- endif -%}
{%- endmacro %}

{#- True once the post's metrics were observed at least post_maturity_hours after it was
    published: younger figures are still growing and stay out of rankings -#}
{% macro is_mature_post(created_at='created_at', observed_at='metrics_observed_at') -%}
    coalesce(
        {{ observed_at }} >= {{ created_at }} + interval '{{ var("post_maturity_hours") }} hours',
        false
    )
{%- endmacro %}
