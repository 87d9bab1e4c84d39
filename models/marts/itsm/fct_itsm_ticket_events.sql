-- One row per accepted ticket update, with the state it left and the
-- transition it made.
with
events as (
    select * from {{ ref('int_itsm_events_validated') }}
    where rejection_reason is null
),

states as (
    select * from {{ ref('itsm_states') }}
),

events_sequenced as (
    select
        events.event_key,
        events.ticket_number,
        events.event_seq,
        events.ticket_state,
        states.state_group,
        states.is_open as is_open_state,
        lag(events.ticket_state) over (
            partition by events.ticket_number order by events.event_seq
        ) as previous_state,
        lag(states.is_open) over (
            partition by events.ticket_number order by events.event_seq
        ) as was_open_before,
        events.caller_id,
        events.contact_type,
        events.location,
        events.category,
        events.subcategory,
        events.priority_code,
        events.priority_label,
        events.assignment_group,
        events.assigned_to,
        events.problem_id,
        events.updated_by,
        events.reassignment_count,
        events.reopen_count,
        events.is_sla_made,
        events.opened_at,
        events.resolved_at,
        events.closed_at,
        events.updated_at,
        lead(events.updated_at) over (
            partition by events.ticket_number order by events.event_seq
        ) as next_updated_at
    from events
    inner join states
        on events.ticket_state = states.ticket_state
),

events_classified as (
    select
        *,
        cast(updated_at as date) as event_date,
        ticket_state = 'Resolved'
        and coalesce(previous_state, '') != 'Resolved' as is_resolution,
        ticket_state = 'Closed'
        and coalesce(previous_state, '') != 'Closed' as is_closure,
        is_open_state and not coalesce(was_open_before, true) as is_reopen
    from events_sequenced
)

select * from events_classified
