{#- Generic test: fails (or warns, with severity: warn) when the model has any row. -#}
{% test row_count_is_zero(model) %}
    select * from {{ model }}
{% endtest %}
