{#- The moment reports are computed for: var as_of_date (YYYY-MM-DD, read as the end
    of that day) or now. Pinning it makes staleness and 30-day tiles reproducible. -#}
{% macro as_of_timestamp() -%}
    {%- if var('as_of_date') -%}
        cast('{{ var("as_of_date") }} 23:59:59' as {{ dbt.type_timestamp() }})
    {%- else -%}
        cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}

{% macro as_of_date() -%}
    cast({{ as_of_timestamp() }} as date)
{%- endmacro %}
