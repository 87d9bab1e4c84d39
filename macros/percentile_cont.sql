{#- Continuous percentile of `column` (p in 0..1) as an aggregate.
    Engines differ: PostgreSQL and DuckDB take the ordered-set form
    `percentile_cont(p) within group (order by x)`, and PostgreSQL has no median();
    Spark accepts that form only as a window function, and has percentile(x, p) instead. -#}
{% macro percentile_cont(column, p) -%}
    {{ return(adapter.dispatch('percentile_cont', 'kpi_warehouse')(column, p)) }}
{%- endmacro %}

{% macro default__percentile_cont(column, p) -%}
    percentile_cont({{ p }}) within group (order by {{ column }})
{%- endmacro %}

{% macro spark__percentile_cont(column, p) -%}
    percentile({{ column }}, {{ p }})
{%- endmacro %}
