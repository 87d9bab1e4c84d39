{#- True when the raw table behind source(source_name, table_name) exists. For tables a
    source may legitimately lack (an ITSM CSV export has no interventions or SLA table):
    the staging model then falls back to a seed or to no rows instead of failing the build.
    At parse time (execute is false) it answers true, so the lineage always shows the source.
-#}
{% macro source_is_loaded(source_name, table_name) -%}
    {%- if not execute -%}
        {{- return(true) -}}
    {%- endif -%}
    {%- set src = source(source_name, table_name) -%}
    {%- set found = adapter.get_relation(
        database=src.database, schema=src.schema, identifier=src.identifier
    ) -%}
    {{- return(found is not none) -}}
{%- endmacro %}
