-- One row per calendar day from calendar_start_date to a year after the
-- as-of date.
with
days as (
    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('calendar_start_date') ~ "' as date)",
        dbt.dateadd('day', 366, as_of_date()),
    ) }}
),

days_described as (
    select
        cast(date_day as date) as calendar_date,
        {{ iso_day_of_week('date_day') }} as iso_day_of_week
    from days
)

select * from days_described
