{#- Generic data tests that dbt_utils would provide (no packages here: hub.getdbt.com is
    unreachable from the build machines). -#}

{% test unique_combination(model, columns) %}
    select {{ columns | join(', ') }}, count(*) as n_rows
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{% test expression_is_true(model, expression) %}
    select *
    from {{ model }}
    where not ({{ expression }})
{% endtest %}

{% test between(model, column_name, min_value=none, max_value=none) %}
    select *
    from {{ model }}
    where {{ column_name }} is not null
    {%- if min_value is not none %} and ({{ column_name }} < {{ min_value }}{% endif %}
    {%- if max_value is not none %}
        {%- if min_value is none %} and ({% else %} or {% endif -%}
        {{ column_name }} > {{ max_value }}
    {%- endif -%}
    {%- if min_value is not none or max_value is not none %}){% endif %}
{% endtest %}
