{#- An 8-byte floating-point type. dbt.type_float() renders `float`, which is an 8-byte
    double on PostgreSQL but a 4-byte REAL on DuckDB (0.1 becomes 0.10000000149), so
    measures use this instead. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'kpi_warehouse')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
