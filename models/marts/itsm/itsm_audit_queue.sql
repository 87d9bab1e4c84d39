-- One row per day: the support team seen as an audit workforce. Queue rate and
-- capacity are 7-day rolling means; projections assume both stay as they are.
-- Rules: doc block itsm_audit_queue_rules.
with
daily as (
    select * from {{ ref('itsm_kpis_daily') }}
    where
        breakdown = 'all'
        and kpi_name in ('open_backlog', 'new_tickets', 'closed_tickets')
),

days as (
    select
        kpi_date,
        max(case when kpi_name = 'open_backlog' then kpi_value end) as backlog,
        max(case when kpi_name = 'new_tickets' then kpi_value end)
            as new_tickets,
        max(case when kpi_name = 'closed_tickets' then kpi_value end)
            as closed_tickets
    from daily
    group by kpi_date
),

rates as (
    select
        *,
        avg(new_tickets) over (
            order by kpi_date rows between 6 preceding and current row
        ) as queue_rate_per_day,
        avg(closed_tickets) over (
            order by kpi_date rows between 6 preceding and current row
        ) as capacity_per_day
    from days
),

projected as (
    select
        kpi_date as queue_date,
        backlog,
        new_tickets,
        closed_tickets,
        queue_rate_per_day,
        capacity_per_day,
        greatest(
            backlog + 7 * (queue_rate_per_day - capacity_per_day), 0
        ) as projected_backlog_7_days,
        greatest(
            backlog + 30 * (queue_rate_per_day - capacity_per_day), 0
        ) as projected_backlog_30_days,
        case
            when capacity_per_day > queue_rate_per_day
                then backlog / (capacity_per_day - queue_rate_per_day)
        end as days_to_clear_backlog,
        queue_rate_per_day > capacity_per_day as is_queue_outpacing_capacity
    from rates
)

select * from projected
