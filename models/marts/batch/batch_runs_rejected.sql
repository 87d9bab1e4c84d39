with
runs as (
    select * from {{ ref('int_batch_runs_validated') }}
),

rejected as (
    select
        run_id,
        client_id,
        rejection_reason,
        run_status,
        source_status,
        duration_minutes,
        run_date,
        started_at,
        ended_at,
        updated_at
    from runs
    where rejection_reason is not null
)

select * from rejected
