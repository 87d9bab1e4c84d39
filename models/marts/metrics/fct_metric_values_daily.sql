-- One row per metric, day and dimension key: hourly values rolled up by the
-- catalog's rule (a gauge is never summed), plus metrics reported per day.
-- Incremental: each run rebuilds the last metric_reprocess_days days.
{#- Spark's plain parquet tables have no delete+insert (dbt-spark merges
    only into Delta, Iceberg or Hudi): there the model is rebuilt whole. -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    unique_key=['metric_name', 'metric_date', 'dimension_key'],
    incremental_strategy='delete+insert',
) }}
{% set recent = incremental_window(
    'metric_date', 'day', var('metric_reprocess_days'), 'metric_date'
) %}
with
hourly as (
    select * from {{ ref('fct_metric_values_hourly') }}
    where 1 = 1 {{ recent }}
),

catalog as (
    select * from {{ ref('metric_definitions') }}
),

daily_reported as (
    select
        metric_name,
        cast(measured_at as date) as metric_date,
        dimension_key,
        source_system,
        metric_value
    from {{ ref('int_metric_values') }}
    where rejection_reason is null and source_grain = 'day'
),

hours_ranked as (
    select
        hourly.*,
        catalog.daily_rollup,
        row_number() over (
            partition by
                hourly.metric_name, hourly.metric_date, hourly.dimension_key
            order by hourly.hour_start desc
        ) as recency_rank
    from hourly
    inner join catalog
        on hourly.metric_name = catalog.metric_name
),

from_hours as (
    select
        metric_name,
        metric_date,
        dimension_key,
        source_system,
        count(*) as hour_count,
        {{ rollup_value('daily_rollup', 'metric_value', 'recency_rank') }}
            as metric_value
    from hours_ranked
    group by metric_name, metric_date, dimension_key, source_system
),

from_days as (
    select
        metric_name,
        metric_date,
        dimension_key,
        source_system,
        0 as hour_count,
        sum(metric_value) as metric_value
    from daily_reported
    where 1 = 1 {{ recent }}
    group by metric_name, metric_date, dimension_key, source_system
),

daily as (
    select * from from_hours
    union all
    select * from from_days
)

select * from daily
