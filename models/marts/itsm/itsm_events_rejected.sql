with
events as (
    select * from {{ ref('int_itsm_events_validated') }}
),

rejected as (
    select
        event_key,
        ticket_number,
        event_seq,
        rejection_reason,
        ticket_state,
        priority_code,
        opened_at,
        resolved_at,
        updated_at
    from events
    where rejection_reason is not null
)

select * from rejected
