-- One row per intervention, placed on the calendar on its delivery date (or its
-- planned date while not delivered), with lateness as of the as-of date.
with
interventions as (
    select * from {{ ref('stg_itsm__interventions') }}
),

tickets as (
    select * from {{ ref('fct_itsm_tickets') }}
),

interventions_placed as (
    select
        interventions.intervention_id,
        interventions.ticket_number,
        interventions.location,
        interventions.technician,
        interventions.intervention_status,
        tickets.priority_label,
        tickets.current_state as ticket_state,
        interventions.planned_date,
        interventions.delivered_date,
        coalesce(interventions.delivered_date, interventions.planned_date)
            as calendar_date,
        case
            when interventions.delivered_date is not null
                then {{ dbt.datediff(
                    'interventions.planned_date',
                    'interventions.delivered_date',
                    'day'
                ) }}
        end as days_late,
        coalesce(
            interventions.delivered_date > interventions.planned_date, false
        ) as is_delivered_late,
        interventions.delivered_date is null
        and interventions.intervention_status != 'cancelled'
        and interventions.planned_date < {{ as_of_date() }} as is_overdue
    from interventions
    left join tickets
        on interventions.ticket_number = tickets.ticket_number
)

select * from interventions_placed
