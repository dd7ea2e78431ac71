{#- A mart refreshed once per data day rather than every 15-minute cycle (best_time_to_post:
    16 weeks of posts for slots that move over weeks). It is incremental with no unique key:
    on a build whose data day (the UTC date of the newest metrics observation in marts.posts)
    is later than the day the table was computed for, or an account it holds has moved to
    another workspace or is gone, `daily_refresh_pre_hook` empties it and
    the model selects every row again, in the same transaction; otherwise the model selects
    nothing and the table is left as it is. A first build and --full-refresh always compute. -#}
{% macro daily_refresh_due() -%}
    {%- if not is_incremental() -%}
        {%- do return(true) -%}
    {%- endif -%}
    {%- if not execute -%}
        {%- do return(false) -%}
    {%- endif -%}
    {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if 'as_of_date' not in columns -%}
        {#- a table built before it was refreshed daily -#}
        {%- do return(true) -%}
    {%- endif -%}
    {%- set query -%}
        select
            coalesce((select max(as_of_date) from {{ this }}) >= {{ data_date() }}, false)
            -- an account moved to another workspace or purged since: its rows must not wait
            -- a day (row-level security reads workspace_id)
            and not exists (
                select 1
                from (select distinct account_id, workspace_id from {{ this }}) as stored
                where not exists (
                    select 1 from {{ ref('stg_app__connected_accounts') }} as accounts
                    where
                        accounts.account_id = stored.account_id
                        and accounts.workspace_id = stored.workspace_id
                )
            ) as is_fresh
    {%- endset -%}
    {%- do return(not run_query(query).columns[0].values()[0]) -%}
{%- endmacro %}

{% macro data_date() -%}
    (select (max(metrics_observed_at) at time zone 'UTC')::date from {{ ref('posts') }})
{%- endmacro %}

{% macro daily_refresh_pre_hook() -%}
    {%- if is_incremental() and daily_refresh_due() -%}
        delete from {{ this }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
