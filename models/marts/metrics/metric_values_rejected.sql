with
metric_values as (
    select * from {{ ref('int_metric_values') }}
),

rejected as (
    select
        metric_name,
        measured_at,
        dimension_key,
        metric_value,
        source_system,
        rejection_reason
    from metric_values
    where rejection_reason is not null
)

select * from rejected
