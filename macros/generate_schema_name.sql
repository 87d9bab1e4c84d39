{#- Use the configured schema name as it is (staging, analytics), not dbt's default
    <target_schema>_<custom>, so readers and grants see stable schema names on every
    target. Models without a custom schema go to the target's schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
