-- One row per KPI: its value on the as-of date (all tickets), the change over 7
-- and 30 days, and whether that change is good given the KPI's direction.
with
daily as (
    select * from {{ ref('itsm_kpis_daily') }}
    where breakdown = 'all'
),

kpis as (
    select * from {{ ref('itsm_kpi_definitions') }}
),

latest_days as (
    select
        kpi_name,
        max(kpi_date) as latest_date
    from daily
    where kpi_date <= {{ as_of_date() }}
    group by kpi_name
),

cards as (
    select
        kpis.kpi_name,
        kpis.kpi_label,
        kpis.unit,
        kpis.direction,
        latest_days.latest_date as value_date,
        latest.kpi_value,
        week_before.kpi_value as value_7_days_before,
        month_before.kpi_value as value_30_days_before,
        latest.kpi_value - week_before.kpi_value as change_7_days,
        latest.kpi_value - month_before.kpi_value as change_30_days
    from kpis
    inner join latest_days
        on kpis.kpi_name = latest_days.kpi_name
    left join daily as latest
        on
            latest_days.kpi_name = latest.kpi_name
            and latest_days.latest_date = latest.kpi_date
    left join daily as week_before
        on
            latest_days.kpi_name = week_before.kpi_name
            and week_before.kpi_date = cast(
                {{ dbt.dateadd('day', -7, 'latest_days.latest_date') }} as date
            )
    left join daily as month_before
        on
            latest_days.kpi_name = month_before.kpi_name
            and month_before.kpi_date = cast(
                {{ dbt.dateadd('day', -30, 'latest_days.latest_date') }} as date
            )
),

cards_judged as (
    select
        *,
        case
            when direction = 'up' then change_7_days > 0
            when direction = 'down' then change_7_days < 0
        end as is_7_day_change_good,
        case
            when direction = 'up' then change_30_days > 0
            when direction = 'down' then change_30_days < 0
        end as is_30_day_change_good
    from cards
)

select * from cards_judged
