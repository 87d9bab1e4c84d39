{#- ISO day of week, 1 = Monday ... 7 = Sunday.
    PostgreSQL and DuckDB have extract(isodow ...); Spark has only dayofweek()
    (1 = Sunday ... 7 = Saturday), shifted here to ISO. -#}
{% macro iso_day_of_week(date_expr) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'kpi_warehouse')(date_expr)) }}
{%- endmacro %}

{% macro default__iso_day_of_week(date_expr) -%}
    cast(extract(isodow from {{ date_expr }}) as {{ dbt.type_int() }})
{%- endmacro %}

{% macro spark__iso_day_of_week(date_expr) -%}
    ((dayofweek({{ date_expr }}) + 5) % 7 + 1)
{%- endmacro %}
