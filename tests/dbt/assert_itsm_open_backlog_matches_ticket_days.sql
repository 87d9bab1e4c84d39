{{ config(enabled=kpi_source_enabled('itsm')) }}
-- The 'all' open_backlog KPI equals the open tickets in the daily snapshot.
with
kpis as (
    select * from {{ ref('itsm_kpis_daily') }}
    where kpi_name = 'open_backlog' and breakdown = 'all'
),

ticket_days as (
    select
        snapshot_date,
        sum(case when is_open then 1 else 0 end) as open_tickets
    from {{ ref('fct_itsm_ticket_days') }}
    group by snapshot_date
)

select
    kpis.kpi_date,
    kpis.kpi_value,
    ticket_days.open_tickets
from kpis
left join ticket_days
    on kpis.kpi_date = ticket_days.snapshot_date
where kpis.kpi_value != coalesce(ticket_days.open_tickets, 0)
