-- One row per accepted run, judged against the client's own recent history.
-- The rule and every threshold: doc block batch_outlier_rule.
with
runs as (
    select * from {{ ref('int_batch_runs_validated') }}
    where rejection_reason is null
),

clients as (
    select * from {{ ref('stg_batch__clients') }}
),

runs_sequenced as (
    select
        *,
        case
            when duration_minutes > 0 then ln(duration_minutes)
        end as log_duration,
        coalesce(
            sum(case when run_status = 'success' then 1 else 0 end) over (
                partition by client_id
                order by started_at, run_id
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) as prior_successful_runs
    from runs
),

successful_runs as (
    select
        client_id,
        log_duration,
        row_number() over (
            partition by client_id order by started_at, run_id
        ) as success_seq
    from runs_sequenced
    where run_status = 'success' and log_duration is not null
),

-- the previous N successful runs of the client; never the judged run itself
baseline_runs as (
    select
        judged.run_id,
        history.log_duration
    from runs_sequenced as judged
    inner join successful_runs as history
        on
            judged.client_id = history.client_id
            and judged.prior_successful_runs >= history.success_seq
            and history.success_seq
            > judged.prior_successful_runs
            - {{ var('batch_outlier_window_runs') }}
),

baseline_medians as (
    select
        run_id,
        count(*) as baseline_run_count,
        {{ percentile_cont('log_duration', 0.5) }} as baseline_log_median
    from baseline_runs
    group by run_id
),

baseline_mads as (
    select
        baseline_runs.run_id,
        {{ percentile_cont(
            'abs(baseline_runs.log_duration'
            ~ ' - baseline_medians.baseline_log_median)',
            0.5
        ) }} as baseline_log_mad
    from baseline_runs
    inner join baseline_medians
        on baseline_runs.run_id = baseline_medians.run_id
    group by baseline_runs.run_id
),

runs_scored as (
    select
        runs_sequenced.*,
        coalesce(baseline_medians.baseline_run_count, 0)
            as baseline_run_count,
        exp(baseline_medians.baseline_log_median) as baseline_median_minutes,
        baseline_mads.baseline_log_mad,
        -- rounded to 6 decimals so a run at the threshold in exact arithmetic
        -- counts as at the threshold on every engine
        cast(
            (runs_sequenced.log_duration - baseline_medians.baseline_log_median)
            / (
                {{ var('batch_outlier_mad_scale') }}
                * greatest(
                    baseline_mads.baseline_log_mad,
                    {{ var('batch_outlier_min_mad') }}
                )
            )
            as {{ dbt.type_numeric() }}
        ) as duration_z_score
    from runs_sequenced
    left join baseline_medians
        on runs_sequenced.run_id = baseline_medians.run_id
    left join baseline_mads
        on runs_sequenced.run_id = baseline_mads.run_id
),

runs_joined_to_clients as (
    select
        runs_scored.run_id,
        runs_scored.client_id,
        clients.client_name,
        runs_scored.instance_size,
        runs_scored.run_status,
        runs_scored.daily_sales,
        runs_scored.duration_minutes,
        runs_scored.duration_minutes / 60 as duration_hours,
        runs_scored.baseline_run_count,
        runs_scored.baseline_median_minutes,
        runs_scored.baseline_log_mad,
        runs_scored.duration_z_score,
        runs_scored.duration_minutes
        / runs_scored.baseline_median_minutes as duration_vs_baseline_ratio,
        runs_scored.run_status = 'success' as is_successful,
        coalesce(
            runs_scored.baseline_run_count
            >= {{ var('batch_outlier_min_history') }}
            and runs_scored.duration_z_score
            >= {{ var('batch_outlier_z_threshold') }}
            and runs_scored.duration_minutes
            >= {{ var('batch_outlier_min_minutes') }},
            false
        ) as is_duration_outlier,
        runs_scored.run_date,
        runs_scored.started_at,
        runs_scored.ended_at
    from runs_scored
    left join clients
        on runs_scored.client_id = clients.client_id
)

select * from runs_joined_to_clients
