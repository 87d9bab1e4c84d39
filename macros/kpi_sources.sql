{#- KPI_SOURCES (comma-separated; unset or empty: all six) names the sources a deployment
    has. dbt_project.yml enables each source's models, seeds and exposures with the same
    test inline (a project file cannot call macros); model SQL that unions several sources
    asks kpi_source_enabled(). check_kpi_sources() (on-run-start) refuses unknown names,
    so a typo never silently disables a domain. -#}
{% macro kpi_sources() -%}
    {%- set all_sources = ['batch', 'itsm', 'ga4', 'prometheus', 'appdb', 'looker'] -%}
    {%- set value = env_var('KPI_SOURCES', '').lower().replace(' ', ',') -%}
    {%- set names = value.split(',') | map('trim') | reject('equalto', '') | list -%}
    {{- return(names or all_sources) -}}
{%- endmacro %}

{% macro kpi_source_enabled(name) -%}
    {{- return(name in kpi_sources()) -}}
{%- endmacro %}

{% macro check_kpi_sources() -%}
    {%- set known = ['batch', 'itsm', 'ga4', 'prometheus', 'appdb', 'looker'] -%}
    {%- set unknown = kpi_sources() | reject('in', known) | list -%}
    {%- if unknown -%}
        {{ exceptions.raise_compiler_error(
            'KPI_SOURCES: unknown source(s) ' ~ unknown | join(', ')
            ~ '; known: ' ~ known | join(', ')
        ) }}
    {%- endif -%}
{%- endmacro %}
