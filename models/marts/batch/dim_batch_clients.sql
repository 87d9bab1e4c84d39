-- The tiles a support person wants per client, as of as_of_timestamp().
with
clients as (
    select * from {{ ref('stg_batch__clients') }}
),

runs as (
    select * from {{ ref('fct_batch_runs') }}
),

staleness as (
    select * from {{ ref('batch_client_staleness') }}
),

latest_runs as (
    select
        client_id,
        run_status as latest_run_status,
        duration_minutes as latest_run_duration_minutes,
        ended_at as latest_run_ended_at
    from (
        select
            *,
            row_number() over (
                partition by client_id order by started_at desc, run_id desc
            ) as recency_rank
        from runs
    ) as ranked
    where recency_rank = 1
),

last_30_days as (
    select
        client_id,
        count(*) as runs_last_30_days,
        sum(case when run_status = 'failed' then 1 else 0 end)
            as failed_runs_last_30_days,
        sum(case when is_duration_outlier then 1 else 0 end)
            as outlier_runs_last_30_days
    from runs
    where run_date > {{ dbt.dateadd('day', -30, as_of_date()) }}
    group by client_id
),

clients_with_tiles as (
    select
        clients.client_id,
        clients.client_name,
        clients.instance_size,
        clients.avg_daily_sales,
        clients.first_run_date,
        latest_runs.latest_run_status,
        latest_runs.latest_run_duration_minutes,
        latest_runs.latest_run_ended_at,
        cast({{ dbt.datediff(
            'latest_runs.latest_run_ended_at', as_of_timestamp(), 'hour'
        ) }} as {{ dbt.type_int() }}) as hours_since_latest_run,
        staleness.days_since_last_run,
        staleness.is_stale,
        coalesce(last_30_days.runs_last_30_days, 0) as runs_last_30_days,
        coalesce(last_30_days.failed_runs_last_30_days, 0)
            as failed_runs_last_30_days,
        coalesce(last_30_days.outlier_runs_last_30_days, 0)
            as outlier_runs_last_30_days,
        cast(last_30_days.failed_runs_last_30_days as {{ type_double() }})
        / last_30_days.runs_last_30_days as failed_run_rate_last_30_days
    from clients
    left join latest_runs
        on clients.client_id = latest_runs.client_id
    left join staleness
        on clients.client_id = staleness.client_id
    left join last_30_days
        on clients.client_id = last_30_days.client_id
)

select * from clients_with_tiles
