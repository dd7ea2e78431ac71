{#- The 15-minute cycle tests the slice a build changes, the nightly build every row. With the
    environment variable SOCIALPULSE_DBT_TESTS_ON_WINDOW=true (the cycle's dbt step sets it; an
    environment variable, not a dbt var, because changed vars make dbt parse the whole project
    again instead of partially), a test of a model that grows with history reads only the
    rows of its last `lookback_days` days: the model names its time column in
    `meta.test_window_column`, and the window ends at that column's newest value (the data's
    clock, which a sandbox or a resumed world may set apart from the wall clock). Other models,
    and every test when the variable is unset (nightly, CI, `make dbt`), read the whole table. A
    test's own `where` still applies inside the window. -#}
{% macro postgres__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set column = test_window_column(relation) -%}
    {%- set conditions = [] -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- if column -%}
        {%- do conditions.append(
            column ~ " >= (select max(" ~ column ~ ") from " ~ relation ~ ") - interval '"
            ~ var('lookback_days') ~ " days'") -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{#- The time column a test of `relation` is windowed on, or none: only with
    SOCIALPULSE_DBT_TESTS_ON_WINDOW=true, and only for the model the test is attached to (a
    relationships test's parent is read whole). -#}
{% macro test_window_column(relation) -%}
    {#- never read while parsing (execute is false): the value must not enter the parse -#}
    {%- if not execute or env_var('SOCIALPULSE_DBT_TESTS_ON_WINDOW', 'false') != 'true' -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- set attached = graph.nodes.get(model.get('attached_node') or '') -%}
    {%- if not attached or attached.alias != relation.identifier -%}
        {%- do return(none) -%}
    {%- endif -%}
    {%- do return(attached.config.meta.get('test_window_column')) -%}
{%- endmacro %}
