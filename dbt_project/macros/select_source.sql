{#- Select typed columns from a raw table that may not exist (a platform with no connected
    accounts has no raw_<platform> tables) or may lack a column (an optional API field never
    seen yet): missing relations give a typed empty select, missing columns a typed null. -#}
{% macro select_source(source_name, table_name, columns) -%}
    {%- set relation = source(source_name, table_name) -%}
    {#- asked of the catalog, not dbt's relation cache: a first build right after a sync has
        been seen to miss a raw table that existed -#}
    {%- set existing = none -%}
    {%- if execute -%}
        {%- set found = run_query(
            "select count(*) from pg_catalog.pg_class c join pg_catalog.pg_namespace n"
            ~ " on n.oid = c.relnamespace where n.nspname = '" ~ relation.schema
            ~ "' and c.relname = '" ~ relation.identifier ~ "'") -%}
        {%- if found.columns[0].values()[0] > 0 -%}
            {%- set existing = relation -%}
        {%- endif -%}
    {%- endif -%}
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
