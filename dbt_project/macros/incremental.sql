{% macro observed_within_lookback(column='observed_at') -%}
    {#- Incremental runs re-read the last `lookback_days` of snapshots: platforms correct
        metrics late (Meta up to 48 h), so a window shorter than that would miss corrections. -#}
    {%- if is_incremental() %}
    where {{ column }} >= (
            select
                coalesce(max({{ column }}), '-infinity'::timestamptz)
                - interval '{{ var("lookback_days") }} days'
            from {{ this }}
        )
    {%- endif %}
{%- endmacro %}
