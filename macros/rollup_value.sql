{#- Combine a group's values by the metric catalog's roll-up rule (column `rule_column`,
    one rule per group): sum, avg, max, or last (the row whose `recency_column` is 1).
    Used for samples -> hours and hours -> days alike. -#}
{% macro rollup_value(rule_column, value_column, recency_column) -%}
    case max({{ rule_column }})
        when 'sum' then sum({{ value_column }})
        when 'avg' then avg({{ value_column }})
        when 'max' then max({{ value_column }})
        when 'last'
            then max(case when {{ recency_column }} = 1 then {{ value_column }} end)
    end
{%- endmacro %}
