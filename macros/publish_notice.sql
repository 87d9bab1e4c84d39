{#- on-run-end: a plain `dbt build` builds and tests in analytics_build but does not
    publish (readers see `analytics`, copied only by scripts/publish.py after a clean
    build, with its grants and alerts). Say so, and what to run, unless publish.py is the
    caller (it sets KPI_PUBLISHING). -#}
{% macro publish_notice() -%}
    {%- if execute and not env_var('KPI_PUBLISHING', '') and flags.WHICH in ('build', 'run', 'seed') -%}
        {{- log(
            "kpi-warehouse: built in analytics_build only; readers' schema analytics is "
            ~ "unchanged. To publish, run `make build` (dbt build, then publish when every "
            ~ "test passed).",
            info=true
        ) -}}
    {%- endif -%}
{%- endmacro %}
