-- One row per ticket: its current state (latest accepted update), timestamps
-- and durations in calendar hours and business hours (seeds business_calendar
-- and business_holidays, UTC). Rules: doc block itsm_ticket_rules.
with
events as (
    select * from {{ ref('fct_itsm_ticket_events') }}
),

priorities as (
    select * from {{ ref('itsm_priorities') }}
),

slas as (
    select * from {{ ref('stg_itsm__sla_definitions') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

business_calendar as (
    select * from {{ ref('business_calendar') }}
),

holidays as (
    select * from {{ ref('business_holidays') }}
),

ticket_summaries as (
    select
        ticket_number,
        count(*) as update_count,
        max(event_seq) as last_event_seq,
        min(case when assigned_to is not null then updated_at end)
            as first_assigned_at,
        max(case when state_group = 'awaiting' then 1 else 0 end)
        = 1 as was_ever_awaiting
    from events
    group by ticket_number
),

tickets as (
    select
        latest.ticket_number,
        latest.ticket_state as current_state,
        latest.state_group,
        latest.is_open_state as is_open,
        latest.caller_id,
        latest.contact_type,
        latest.location,
        latest.category,
        latest.subcategory,
        latest.priority_code,
        latest.priority_label,
        latest.assignment_group,
        latest.assigned_to,
        latest.problem_id,
        latest.reassignment_count,
        latest.reopen_count,
        latest.is_sla_made as is_sla_made_flag,
        summaries.update_count,
        summaries.was_ever_awaiting,
        slas.resolve_within_hours as sla_hours,
        priorities.workload_weight,
        priorities.is_high_priority,
        priorities.is_critical,
        latest.opened_at,
        summaries.first_assigned_at,
        case
            when not latest.is_open_state then latest.resolved_at
        end as resolved_at,
        latest.closed_at,
        latest.updated_at as last_updated_at,
        {{ dbt.dateadd(
            'hour', 'slas.resolve_within_hours', 'latest.opened_at'
        ) }} as sla_due_at
    from events as latest
    inner join ticket_summaries as summaries
        on
            latest.ticket_number = summaries.ticket_number
            and latest.event_seq = summaries.last_event_seq
    left join slas
        on latest.priority_code = slas.priority_code
    left join priorities
        on
            latest.priority_code
            = cast(priorities.priority_code as {{ dbt.type_string() }})
),

resolution_working_days as (
    select
        tickets.ticket_number,
        tickets.opened_at,
        tickets.resolved_at,
        {{ dbt.dateadd(
            'hour',
            'business_calendar.start_hour',
            'cast(calendar_days.calendar_date as ' ~ dbt.type_timestamp() ~ ')'
        ) }} as working_day_start,
        {{ dbt.dateadd(
            'hour',
            'business_calendar.end_hour',
            'cast(calendar_days.calendar_date as ' ~ dbt.type_timestamp() ~ ')'
        ) }} as working_day_end
    from tickets
    inner join calendar_days
        on
            calendar_days.calendar_date >= cast(tickets.opened_at as date)
            and calendar_days.calendar_date <= cast(tickets.resolved_at as date)
    inner join business_calendar
        on calendar_days.iso_day_of_week = business_calendar.iso_day_of_week
    left join holidays
        on calendar_days.calendar_date = holidays.holiday_date
    where business_calendar.is_working_day and holidays.holiday_date is null
),

working_windows as (
    select
        ticket_number,
        greatest(opened_at, working_day_start) as window_start,
        least(resolved_at, working_day_end) as window_end
    from resolution_working_days
),

business_hours as (
    select
        ticket_number,
        sum(
            case
                when window_end > window_start
                    then {{ dbt.datediff(
                        'window_start', 'window_end', 'second'
                    ) }}
                else 0
            end
        ) / 3600.0 as business_hours_to_resolve
    from working_windows
    group by ticket_number
),

tickets_measured as (
    select
        tickets.*,
        cast(
            {{ dbt.datediff(
                'tickets.opened_at', 'tickets.resolved_at', 'second'
            ) }}
            as {{ type_double() }}
        ) / 3600 as hours_to_resolve,
        case
            when tickets.resolved_at is not null
                then
                    coalesce(business_hours.business_hours_to_resolve, 0)
        end as business_hours_to_resolve,
        cast(
            {{ dbt.datediff(
                'tickets.opened_at', 'tickets.first_assigned_at', 'second'
            ) }}
            as {{ type_double() }}
        ) / 3600 as hours_to_first_assignment,
        cast(
            {{ dbt.datediff(
                'tickets.opened_at', 'tickets.closed_at', 'second'
            ) }}
            as {{ type_double() }}
        ) / 3600 as hours_to_close,
        tickets.resolved_at is not null as is_resolved,
        tickets.first_assigned_at is null as is_never_assigned,
        tickets.problem_id is not null as has_problem,
        case
            when tickets.resolved_at is not null
                then tickets.resolved_at > tickets.sla_due_at
            else {{ as_of_timestamp() }} > tickets.sla_due_at
        end as is_sla_breached,
        tickets.resolved_at is not null
        and tickets.reassignment_count = 0
        and tickets.reopen_count = 0
        and not tickets.was_ever_awaiting as is_one_touch
    from tickets
    left join business_hours
        on tickets.ticket_number = business_hours.ticket_number
)

select * from tickets_measured
