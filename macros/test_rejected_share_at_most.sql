{#- Generic test on a rejection-reason column: fails when more than `max_share` of the
    model's rows have a reason (a feed that broken must be fixed at its source). -#}
{% test rejected_share_at_most(model, column_name, max_share) %}
    with
    shares as (
        select
            count(*) as total_rows,
            sum(case when {{ column_name }} is not null then 1 else 0 end)
            as rejected_rows
        from {{ model }}
    )

    select * from shares
    where rejected_rows > {{ max_share }} * total_rows
{% endtest %}
