with
runs as (
    select * from {{ ref('fct_batch_runs') }}
),

outliers as (
    select
        run_id,
        client_id,
        client_name,
        instance_size,
        run_status,
        duration_minutes,
        baseline_median_minutes,
        duration_vs_baseline_ratio,
        duration_z_score,
        baseline_run_count,
        run_date,
        started_at,
        ended_at
    from runs
    where is_duration_outlier
)

select * from outliers
