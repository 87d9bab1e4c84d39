-- One row per calendar day from the earliest day in the ITSM data (the only
-- domain that counts calendar and business days) to a year after the as-of
-- date: a 2016 export gets 2016 days, no setting needed. Days are numbered
-- from 0 to 99,999 (273 years) by five digits, in plain SQL every engine runs.
with
events as (
    select * from {{ ref('stg_itsm__incident_events') }}
),

interventions as (
    select * from {{ ref('stg_itsm__interventions') }}
),

first_days as (
    select min(cast(opened_at as date)) as first_day from events
    union all
    select min(cast(updated_at as date)) as first_day from events
    union all
    select min(planned_date) as first_day from interventions
    union all
    select {{ as_of_date() }} as first_day
),

bounds as (
    select
        min(first_day) as first_day,
        {{ dbt.dateadd('day', 366, as_of_date()) }} as last_day
    from first_days
),

digits as (
    {% for digit in range(10) %}
        select {{ digit }} as digit
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

day_numbers as (
    select
        ones.digit
        + 10 * tens.digit
        + 100 * hundreds.digit
        + 1000 * thousands.digit
        + 10000 * ten_thousands.digit as day_number
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
    cross join digits as ten_thousands
),

days as (
    select
        cast({{ dbt.dateadd(
            'day', 'day_numbers.day_number', 'bounds.first_day'
        ) }} as date) as date_day
    from day_numbers
    cross join bounds
    where
        day_numbers.day_number
        <= {{ dbt.datediff('bounds.first_day', 'bounds.last_day', 'day') }}
),

days_described as (
    select
        date_day as calendar_date,
        {{ iso_day_of_week('date_day') }} as iso_day_of_week
    from days
)

select * from days_described
