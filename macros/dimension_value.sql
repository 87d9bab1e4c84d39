{#- The value of the n-th "name=value" pair of a dimension key "a=1|b=2" (n from 1). -#}
{% macro dimension_value(key_column, position) -%}
    {{ dbt.split_part(dbt.split_part(key_column, "'|'", position), "'='", 2) }}
{%- endmacro %}
