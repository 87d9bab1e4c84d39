{#- Generic test: every non-null value of the column is at least `min_value` (a dollar
    amount or a count below zero means the feed is broken). -#}
{% test values_at_least(model, column_name, min_value) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} < {{ min_value }}
{% endtest %}
