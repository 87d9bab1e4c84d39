{{ config(enabled=kpi_source_enabled('itsm'), severity='warn') }}
-- Years with tickets that seeds/business_holidays.csv has no holiday for: the
-- business-hour KPIs of those years count public holidays as working days.
-- Add the years' holidays to the seed (a warning, not a failure).
with
tickets as (
    select * from {{ ref('fct_itsm_tickets') }}
),

holidays as (
    select * from {{ ref('business_holidays') }}
),

ticket_years as (
    select distinct
        cast(extract(year from opened_at) as {{ dbt.type_int() }})
            as ticket_year
    from tickets
),

holiday_years as (
    select distinct
        cast(extract(year from holiday_date) as {{ dbt.type_int() }})
            as holiday_year
    from holidays
)

select ticket_years.ticket_year
from ticket_years
left join holiday_years
    on ticket_years.ticket_year = holiday_years.holiday_year
where holiday_years.holiday_year is null
