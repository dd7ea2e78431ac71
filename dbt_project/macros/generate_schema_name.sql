{#- Schemas are exactly the configured names (staging, intermediate, marts), not
    <target_schema>_<name>: Superset and the API read marts.* whatever the target. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
