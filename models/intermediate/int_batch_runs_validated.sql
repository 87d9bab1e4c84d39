-- Every raw run with the first rule it breaks (null when it breaks none).
-- Rules and their order: doc block batch_run_rejection_rules.
with
runs as (
    select * from {{ ref('stg_batch__runs') }}
),

clients as (
    select * from {{ ref('stg_batch__clients') }}
),

statuses as (
    select * from {{ ref('batch_run_statuses') }}
),

status_words as (
    select * from {{ ref('batch_status_words') }}
),

runs_checked as (
    select
        runs.*,
        count(*) over (partition by runs.run_id) as run_id_copies,
        clients.client_id is not null as is_known_client,
        statuses.run_status as known_run_status,
        statuses.run_status is not null as is_known_status,
        coalesce(statuses.is_finished, false) as is_finished_status
    from runs
    left join clients
        on runs.client_id = clients.client_id
    left join status_words
        on runs.run_status = lower(status_words.source_status)
    left join statuses
        on
            coalesce(status_words.run_status, runs.run_status)
            = statuses.run_status
),

runs_validated as (
    select
        run_id,
        client_id,
        instance_size,
        -- ours (seed batch_status_words maps the source's words); the source's
        -- own word when it maps to none, and the run is rejected
        coalesce(known_run_status, run_status) as run_status,
        run_status as source_status,
        daily_sales,
        duration_minutes,
        run_date,
        started_at,
        ended_at,
        updated_at,
        case
            when run_id is null then 'null_run_id'
            when client_id is null then 'null_client_id'
            when not is_known_client then 'unknown_client'
            when run_id_copies > 1 then 'duplicate_run_id'
            when not is_known_status then 'unknown_status'
            when started_at is null then 'missing_start'
            when started_at > {{ as_of_timestamp() }} then 'starts_in_future'
            when is_finished_status and ended_at is null then 'missing_end'
            when ended_at < started_at then 'ended_before_started'
            when
                duration_minutes > {{ var('batch_max_duration_hours') }} * 60
                then 'absurd_duration'
        end as rejection_reason
    from runs_checked
)

select * from runs_validated
