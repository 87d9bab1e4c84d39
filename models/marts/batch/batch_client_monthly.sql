-- One row per client and calendar month with runs: average successful
-- duration and its change against the previous calendar month (null when that
-- month had none).
with
runs as (
    select * from {{ ref('fct_batch_runs') }}
),

monthly as (
    select
        client_id,
        client_name,
        cast({{ dbt.date_trunc('month', 'run_date') }} as date) as run_month,
        count(*) as run_count,
        sum(case when is_successful then 0 else 1 end)
            as unsuccessful_run_count,
        sum(case when is_duration_outlier then 1 else 0 end)
            as outlier_run_count,
        avg(case when is_successful then duration_minutes end)
            as avg_duration_minutes
    from runs
    group by client_id, client_name, {{ dbt.date_trunc('month', 'run_date') }}
),

monthly_compared as (
    select
        this_month.*,
        this_month.avg_duration_minutes / 60 as avg_duration_hours,
        previous_month.avg_duration_minutes as previous_avg_duration_minutes,
        case
            when previous_month.avg_duration_minutes > 0
                then
                    100 * (
                        this_month.avg_duration_minutes
                        - previous_month.avg_duration_minutes
                    )
                    / previous_month.avg_duration_minutes
        end as avg_duration_mom_change_pct
    from monthly as this_month
    left join monthly as previous_month
        on
            this_month.client_id = previous_month.client_id
            and previous_month.run_month = cast(
                {{ dbt.dateadd('month', -1, 'this_month.run_month') }} as date
            )
)

select * from monthly_compared
