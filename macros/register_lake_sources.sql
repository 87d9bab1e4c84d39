{#- Spark only (run by on-run-start): make every dbt source a table over the parquet files
    the loaders wrote with TARGET=spark (dlt's filesystem destination lays them out as
    <KPI_LAKE_URL>/<schema>/<table>/). DuckDB and PostgreSQL need nothing: there dlt
    creates the raw tables itself. Dropping an external table keeps its files; creating it
    again re-reads the schema and the file list, so each run sees every load so far. -#}
{% macro register_lake_sources() %}
    {%- if target.type == 'spark' and execute -%}
        {%- set lake = env_var('KPI_LAKE_URL', '.lake').rstrip('/') -%}
        {%- for source in graph.sources.values() -%}
            {%- do run_query('create schema if not exists ' ~ source.schema) -%}
            {%- do run_query('drop table if exists ' ~ source.schema ~ '.' ~ source.identifier) -%}
            {%- do run_query(
                'create table ' ~ source.schema ~ '.' ~ source.identifier
                ~ " using parquet location '" ~ lake ~ '/' ~ source.schema ~ '/'
                ~ source.identifier ~ "'"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
