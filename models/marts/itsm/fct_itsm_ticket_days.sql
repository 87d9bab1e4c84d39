-- One row per ticket and day from opening to closure (or the as-of date): the
-- ticket's state at the end of that day (or at the as-of moment, for today).
with
tickets as (
    select * from {{ ref('fct_itsm_tickets') }}
),

events as (
    select * from {{ ref('fct_itsm_ticket_events') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

ticket_days as (
    select
        tickets.ticket_number,
        tickets.opened_at,
        tickets.sla_hours,
        tickets.sla_due_at,
        tickets.workload_weight,
        calendar_days.calendar_date as snapshot_date,
        case
            when calendar_days.calendar_date = {{ as_of_date() }}
                then {{ as_of_timestamp() }}
            else {{ dbt.dateadd(
                'day', 1,
                'cast(calendar_days.calendar_date as '
                ~ dbt.type_timestamp() ~ ')'
            ) }}
        end as snapshot_at
    from tickets
    inner join calendar_days
        on
            calendar_days.calendar_date >= cast(tickets.opened_at as date)
            and calendar_days.calendar_date
            <= coalesce(cast(tickets.closed_at as date), {{ as_of_date() }})
            and calendar_days.calendar_date <= {{ as_of_date() }}
),

ticket_day_states as (
    select
        ticket_days.*,
        events.ticket_state,
        events.is_open_state as is_open,
        events.assigned_to,
        events.is_sla_made,
        events.priority_label,
        events.assignment_group,
        events.category,
        events.location,
        events.contact_type,
        events.updated_at as last_updated_at
    from ticket_days
    inner join events
        on
            ticket_days.ticket_number = events.ticket_number
            and ticket_days.snapshot_at > events.updated_at
            and (
                events.next_updated_at is null
                or ticket_days.snapshot_at <= events.next_updated_at
            )
),

ticket_day_measures as (
    select
        *,
        {{ dbt.datediff(
            'cast(last_updated_at as date)', 'snapshot_date', 'day'
        ) }} as days_since_update,
        cast(
            {{ dbt.datediff('opened_at', 'snapshot_at', 'second') }}
            as {{ type_double() }}
        ) / 86400 as age_days,
        cast(
            {{ dbt.datediff('opened_at', 'snapshot_at', 'second') }}
            as {{ type_double() }}
        ) / (3600 * sla_hours) as sla_elapsed_fraction,
        sla_due_at < snapshot_at as is_overdue
    from ticket_day_states
)

select * from ticket_day_measures
