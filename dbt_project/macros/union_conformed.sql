{#- union all of models that share one column contract (the first model's columns, in order).
    dbt_utils.union_relations does this too, but hub.getdbt.com is unreachable here, so the
    project carries no packages. -#}
{% macro union_conformed(model_names) -%}
    {%- set relations = [] -%}
    {%- for name in model_names -%}
        {%- do relations.append(ref(name)) -%}
    {%- endfor -%}
    {%- set columns = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relations[0]) -%}
            {%- do columns.append(adapter.quote(column.name)) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- for relation in relations %}
    select
        {{ columns | join(",\n        ") if columns else "*" }}
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif -%}
    {%- endfor %}
{%- endmacro %}
