-- Every raw incident event with the first rule it breaks (null when none).
-- Rules and their order: doc block itsm_event_rejection_rules.
with
events as (
    select * from {{ ref('stg_itsm__incident_events') }}
),

states as (
    select * from {{ ref('itsm_states') }}
),

priorities as (
    select * from {{ ref('itsm_priorities') }}
),

events_checked as (
    select
        events.*,
        states.ticket_state is not null as is_known_state,
        priorities.priority_code is not null as is_known_priority,
        row_number() over (
            partition by events.ticket_number, events.event_seq
            order by events.updated_at
        ) as copy_number,
        lag(events.updated_at) over (
            partition by events.ticket_number
            order by events.event_seq, events.updated_at
        ) as previous_updated_at
    from events
    left join states
        on events.ticket_state = states.ticket_state
    left join priorities
        on
            events.priority_code
            = cast(priorities.priority_code as {{ dbt.type_string() }})
),

events_validated as (
    select
        event_key,
        ticket_number,
        event_seq,
        ticket_state,
        caller_id,
        opened_by,
        updated_by,
        contact_type,
        location,
        category,
        subcategory,
        impact_code,
        impact_label,
        urgency_code,
        urgency_label,
        priority_code,
        priority_label,
        assignment_group,
        assigned_to,
        resolved_by,
        problem_id,
        closed_code,
        reassignment_count,
        reopen_count,
        is_active,
        is_sla_made,
        opened_at,
        updated_at,
        resolved_at,
        closed_at,
        case
            when ticket_number is null then 'null_number'
            when event_seq is null then 'null_sys_mod_count'
            when copy_number > 1 then 'duplicate_event'
            when not is_known_state then 'unknown_state'
            when not is_known_priority then 'unknown_priority'
            when
                opened_at is null or updated_at is null
                then 'missing_timestamp'
            when resolved_at < opened_at then 'resolved_before_opened'
            when updated_at < previous_updated_at then 'out_of_order'
        end as rejection_reason
    from events_checked
)

select * from events_validated
