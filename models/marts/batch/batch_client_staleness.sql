-- One row per client: how long since its batch last ran, against its own
-- cadence.
-- The rule: doc block batch_staleness_rule.
with
runs as (
    select * from {{ ref('fct_batch_runs') }}
),

clients as (
    select * from {{ ref('stg_batch__clients') }}
),

run_days as (
    select distinct
        client_id,
        run_date
    from runs
),

run_gaps as (
    select
        client_id,
        {{ dbt.datediff(
            'lag(run_date) over (partition by client_id order by run_date)',
            'run_date',
            'day'
        ) }} as gap_days
    from run_days
),

cadences as (
    select
        client_id,
        count(*) as gap_count,
        {{ percentile_cont('gap_days', 0.95) }} as p95_gap_days
    from run_gaps
    where gap_days is not null
    group by client_id
),

last_runs as (
    select
        client_id,
        max(run_date) as last_run_date,
        max(started_at) as last_run_started_at
    from runs
    group by client_id
),

clients_measured as (
    select
        clients.client_id,
        clients.client_name,
        last_runs.last_run_date,
        last_runs.last_run_started_at,
        cadences.p95_gap_days,
        cast({{ dbt.datediff(
            'last_runs.last_run_date', as_of_date(), 'day'
        ) }} as {{ dbt.type_int() }}) as days_since_last_run,
        coalesce(cadences.p95_gap_days, 1) <= 1 as runs_daily
    from clients
    left join last_runs
        on clients.client_id = last_runs.client_id
    left join cadences
        on clients.client_id = cadences.client_id
),

clients_flagged as (
    select
        *,
        last_run_date is null as has_never_run,
        coalesce(
            days_since_last_run > {{ var('batch_stale_after_days') }}, false
        ) as is_over_one_day,
        coalesce(days_since_last_run > p95_gap_days, false)
            as is_past_learned_cadence,
        case
            when runs_daily
                then
                    coalesce(
                        days_since_last_run
                        > {{ var('batch_stale_after_days') }},
                        false
                    )
            else coalesce(days_since_last_run > p95_gap_days, false)
        end as is_stale
    from clients_measured
)

select * from clients_flagged
