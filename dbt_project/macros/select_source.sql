{#- Select typed columns from a raw table that may not exist (a platform with no connected
    accounts has no raw_<platform> tables) or may lack a column (an optional API field never
    seen yet): missing relations give a typed empty select, missing columns a typed null. -#}
{% macro select_source(source_name, table_name, columns) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set existing = load_relation(relation) if execute else none -%}
    {%- if existing is not none -%}
        {%- set present = [] -%}
        {%- for column in adapter.get_columns_in_relation(existing) -%}
            {%- do present.append(column.name | lower) -%}
        {%- endfor %}
    select
        {%- for name, data_type in columns.items() %}
        {% if name in present -%}
            cast({{ name }} as {{ data_type }})
        {%- else -%}
            cast(null as {{ data_type }})
        {%- endif %} as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    {%- else %}
    select
        {%- for name, data_type in columns.items() %}
        cast(null as {{ data_type }}) as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    where false
    {%- endif %}
{%- endmacro %}
