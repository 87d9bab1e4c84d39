{#- ServiceNow shows coded choices as "<code> - <label>" (e.g. "2 - Medium").
    coded_value_code -> '2'; coded_value_label -> 'Medium'; a value without " - " has no
    code and is its own label. -#}
{% macro coded_value_code(column) -%}
    case
        when {{ dbt.position("' - '", column) }} > 0
            then trim({{ dbt.split_part(column, "' - '", 1) }})
    end
{%- endmacro %}

{% macro coded_value_label(column) -%}
    case
        when {{ dbt.position("' - '", column) }} > 0
            then trim({{ dbt.split_part(column, "' - '", 2) }})
        else trim({{ column }})
    end
{%- endmacro %}
