-- One row per metric, hour and dimension key. Samples within an hour roll up by
-- the catalog's rule (sum, avg, max, last). Incremental: each run rebuilds the
-- last metric_reprocess_hours hours (late samples, GA4 revisions).
{#- Spark's plain parquet tables have no delete+insert (dbt-spark merges
    only into Delta, Iceberg or Hudi): there the model is rebuilt whole. -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    unique_key=['metric_name', 'hour_start', 'dimension_key'],
    incremental_strategy='delete+insert',
) }}
with
metric_values as (
    select * from {{ ref('int_metric_values') }}
    where
        rejection_reason is null
        and source_grain != 'day'
        {{ incremental_window(
            'measured_at', 'hour', var('metric_reprocess_hours'), 'hour_start'
        ) }}
),

values_in_hours as (
    select
        *,
        {{ dbt.date_trunc('hour', 'measured_at') }} as hour_start,
        row_number() over (
            partition by
                metric_name,
                dimension_key,
                {{ dbt.date_trunc('hour', 'measured_at') }}
            order by measured_at desc
        ) as recency_rank
    from metric_values
),

hourly as (
    select
        metric_name,
        hour_start,
        dimension_key,
        source_system,
        count(*) as sample_count,
        {{ rollup_value('daily_rollup', 'metric_value', 'recency_rank') }}
            as metric_value
    from values_in_hours
    group by metric_name, hour_start, dimension_key, source_system
),

hourly_described as (
    select
        metric_name,
        cast(hour_start as date) as metric_date,
        cast(extract(hour from hour_start) as {{ dbt.type_int() }})
            as metric_hour,
        hour_start,
        dimension_key,
        metric_value,
        sample_count,
        source_system
    from hourly
)

select * from hourly_described
