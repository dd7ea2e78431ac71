{#- Post-hook: turn a snapshot table into a TimescaleDB hypertable when the extension is
    installed; a no-op on plain Postgres (the default, and all that CI has). -#}
{% macro maybe_hypertable(relation, time_column) -%}
    {%- if execute -%}
        {%- set found = run_query(
            "select 1 from pg_extension where extname = 'timescaledb'") -%}
        {%- if found.rows | length > 0 -%}
            select create_hypertable('{{ relation }}', '{{ time_column }}',
                migrate_data => true, if_not_exists => true)
        {%- else -%}
            select 1
        {%- endif -%}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
