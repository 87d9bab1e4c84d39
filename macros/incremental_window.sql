{#- In an incremental run, keep only rows at or after (newest value of
    `reference_column` in this model) minus `amount` `datepart`s: the recent window an
    incremental model rebuilds on every run. Renders nothing in a full build. -#}
{% macro incremental_window(column, datepart, amount, reference_column) -%}
    {%- if is_incremental() %}
        and {{ column }} >= (
            select {{ dbt.dateadd(datepart, -1 * amount, 'max(' ~ reference_column ~ ')') }}
            from {{ this }}
        )
    {%- endif -%}
{%- endmacro %}
