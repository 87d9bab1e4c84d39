-- One row per KPI, day and breakdown. Every KPI's definition and formula is in
-- seed itsm_kpi_definitions (shown in the docs site); this model computes them:
-- each fact CTE emits (numerator, denominator, median_value, distinct_key) per
-- ticket or intervention, and the catalog's `aggregation` says how a group of
-- facts becomes a value (sum, ratio x scale, median, per_distinct, difference).
{% set breakdowns = [
    'priority_label', 'assignment_group', 'category', 'location', 'contact_type'
] %}
{% set snapshot_kpis = [
    ('open_backlog', '1', 'null'),
    ('unassigned_open', 'case when assigned_to is null then 1 else 0 end', 'null'),
    ('open_workload', 'workload_weight', 'null'),
    ('avg_age_open_days', 'age_days', '1'),
    ('open_no_update_1_5_days',
        'case when days_since_update between 1 and 5 then 1 else 0 end', 'null'),
    ('open_no_update_6_10_days',
        'case when days_since_update between 6 and 10 then 1 else 0 end', 'null'),
    ('open_no_update_11_30_days',
        'case when days_since_update between 11 and 30 then 1 else 0 end',
        'null'),
    ('open_no_update_over_30_days',
        'case when days_since_update > 30 then 1 else 0 end', 'null'),
    ('pct_open_not_updated_5_days',
        'case when days_since_update > 5 then 1 else 0 end', '1'),
    ('pct_open_missed_sla',
        'case when not is_sla_made then 1 else 0 end', '1'),
    ('pct_open_overdue', 'case when is_overdue then 1 else 0 end', '1'),
    ('late_tickets', 'case when is_overdue then 1 else 0 end', 'null'),
    ('nearing_sla_50_75',
        'case when sla_elapsed_fraction >= 0.50'
        ~ ' and sla_elapsed_fraction <= 0.75 then 1 else 0 end', 'null'),
    ('nearing_sla_76_85',
        'case when sla_elapsed_fraction > 0.75'
        ~ ' and sla_elapsed_fraction <= 0.85 then 1 else 0 end', 'null'),
    ('nearing_sla_86_95',
        'case when sla_elapsed_fraction > 0.85'
        ~ ' and sla_elapsed_fraction <= 0.95 then 1 else 0 end', 'null'),
    ('nearing_sla_over_95',
        'case when sla_elapsed_fraction > 0.95'
        ~ ' and sla_elapsed_fraction <= 1 then 1 else 0 end', 'null'),
] %}
{% set resolution_kpis = [
    ('mttr_hours', 'hours_to_resolve', '1', 'null'),
    ('median_time_to_resolve_hours', 'null', 'null', 'hours_to_resolve'),
    ('mttr_business_hours', 'business_hours_to_resolve', '1', 'null'),
    ('pct_resolved_sla_breached',
        'case when is_sla_breached then 1 else 0 end', '1', 'null'),
    ('pct_first_assignment_resolution',
        'case when reassignment_count = 0 then 1 else 0 end', '1', 'null'),
    ('avg_reassignments', 'reassignment_count', '1', 'null'),
    ('one_touch_resolution_rate',
        'case when is_one_touch then 1 else 0 end', '1', 'null'),
    ('pct_reopened', 'case when reopen_count > 0 then 1 else 0 end', '1', 'null'),
    ('avg_handling_effort_updates', 'update_count', '1', 'null'),
] %}
{% set new_ticket_kpis = [
    ('new_tickets', '1', 'null'),
    ('pct_with_problem', 'case when has_problem then 1 else 0 end', '1'),
    ('pct_new_critical', 'case when is_critical then 1 else 0 end', '1'),
    ('pct_new_high_priority',
        'case when is_high_priority then 1 else 0 end', '1'),
    ('pct_new_self_service',
        "case when contact_type = 'Self service' then 1 else 0 end", '1'),
] %}
{% set fact_columns %}
    priority_label,
    assignment_group,
    category,
    location,
    contact_type
{% endset %}
{#- every fact: (kpi, relation, date, numerator, denominator, median,
    distinct key, condition) -#}
{% set facts = [] %}
{% for name, numerator, denominator in snapshot_kpis %}
    {% do facts.append((name, 'open_ticket_days', 'snapshot_date', numerator,
        denominator, 'null', 'null', 'true')) %}
{% endfor %}
{% for name, flag in [
    ('resolved_tickets', 'is_resolution'),
    ('closed_tickets', 'is_closure'),
    ('reopened_tickets', 'is_reopen'),
] %}
    {% do facts.append((name, 'events', 'event_date', '1', 'null', 'null',
        'null', flag)) %}
{% endfor %}
{% for name, numerator, denominator, median in resolution_kpis %}
    {% do facts.append((name, 'tickets', 'resolved_at', numerator, denominator,
        median, 'null', 'is_resolved')) %}
{% endfor %}
{% for name, numerator, denominator in new_ticket_kpis %}
    {% do facts.append((name, 'tickets', 'opened_at', numerator, denominator,
        'null', 'null', 'true')) %}
{% endfor %}
{% do facts.append(('incidents_per_caller', 'tickets', 'opened_at', '1', 'null',
    'null', 'caller_id', 'true')) %}
{% do facts.append(('avg_time_to_first_assignment_hours', 'tickets',
    'first_assigned_at', 'hours_to_first_assignment', '1', 'null', 'null',
    'first_assigned_at is not null')) %}
{% do facts.append(('avg_time_to_closure_hours', 'tickets', 'closed_at',
    'hours_to_close', '1', 'null', 'null', 'closed_at is not null')) %}
{% do facts.append(('breached_today', 'tickets', 'sla_due_at', '1', 'null',
    'null', 'null', 'sla_due_at <= ' ~ as_of_timestamp()
    ~ ' and (resolved_at is null or resolved_at > sla_due_at)')) %}
{% for name, date_column, condition, numerator, denominator in [
    ('interventions_planned', 'planned_date', "intervention_status != 'cancelled'",
        '1', 'null'),
    ('interventions_delivered', 'delivered_date', 'delivered_date is not null', '1',
        'null'),
    ('interventions_late', 'delivered_date', 'delivered_date > planned_date', '1',
        'null'),
    ('intervention_on_time_pct', 'delivered_date', 'delivered_date is not null',
        'case when delivered_date <= planned_date then 1 else 0 end', '1'),
] %}
    {% do facts.append((name, 'interventions_with_tickets', date_column,
        numerator, denominator, 'null', 'null',
        condition ~ ' and ' ~ date_column ~ ' <= ' ~ as_of_date())) %}
{% endfor %}
with
tickets as (
    select * from {{ ref('fct_itsm_tickets') }}
),

events as (
    select * from {{ ref('fct_itsm_ticket_events') }}
),

ticket_days as (
    select * from {{ ref('fct_itsm_ticket_days') }}
),

interventions as (
    select * from {{ ref('stg_itsm__interventions') }}
),

kpis as (
    select * from {{ ref('itsm_kpi_definitions') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

open_ticket_days as (
    select * from ticket_days
    where is_open
),

interventions_with_tickets as (
    select
        interventions.*,
        tickets.priority_label,
        tickets.assignment_group,
        tickets.category,
        tickets.contact_type
    from interventions
    left join tickets
        on interventions.ticket_number = tickets.ticket_number
),

all_facts as (
    {% for name, relation, date_column, numerator, denominator, median,
        distinct_key, condition in facts %}
        select
            '{{ name }}' as kpi_name,
            cast({{ date_column }} as date) as kpi_date,
            {{ fact_columns }},
            cast({{ numerator }} as {{ type_double() }}) as numerator,
            cast({{ denominator }} as {{ type_double() }}) as denominator,
            cast({{ median }} as {{ type_double() }}) as median_value,
            cast({{ distinct_key }} as {{ dbt.type_string() }}) as distinct_key
        from {{ relation }}
        where {{ condition }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

grouped as (
    select
        kpi_name,
        kpi_date,
        'all' as breakdown,
        'all' as breakdown_value,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        {{ percentile_cont('median_value', 0.5) }} as median_value,
        count(distinct distinct_key) as distinct_count
    from all_facts
    group by kpi_name, kpi_date
    {% for breakdown in breakdowns %}
        union all
        select
            kpi_name,
            kpi_date,
            '{{ breakdown }}' as breakdown,
            coalesce({{ breakdown }}, '(none)') as breakdown_value,
            sum(numerator) as numerator,
            sum(denominator) as denominator,
            {{ percentile_cont('median_value', 0.5) }} as median_value,
            count(distinct distinct_key) as distinct_count
        from all_facts
        group by kpi_name, kpi_date, coalesce({{ breakdown }}, '(none)')
    {% endfor %}
),

-- every KPI has a row for every day in the 'all' breakdown (0 for counts)
all_breakdown_days as (
    select
        kpis.kpi_name,
        calendar_days.calendar_date as kpi_date,
        'all' as breakdown,
        'all' as breakdown_value
    from kpis
    cross join calendar_days
    where
        kpis.aggregation != 'difference'
        and calendar_days.calendar_date
        >= (select min(cast(tickets.opened_at as date)) from tickets)
        and calendar_days.calendar_date <= {{ as_of_date() }}
),

spined as (
    select
        grouped.kpi_name,
        grouped.kpi_date,
        grouped.breakdown,
        grouped.breakdown_value,
        grouped.numerator,
        grouped.denominator,
        grouped.median_value,
        grouped.distinct_count
    from grouped
    where grouped.breakdown != 'all'
    union all
    select
        all_breakdown_days.kpi_name,
        all_breakdown_days.kpi_date,
        all_breakdown_days.breakdown,
        all_breakdown_days.breakdown_value,
        grouped.numerator,
        grouped.denominator,
        grouped.median_value,
        grouped.distinct_count
    from all_breakdown_days
    left join grouped
        on
            all_breakdown_days.kpi_name = grouped.kpi_name
            and all_breakdown_days.kpi_date = grouped.kpi_date
            and grouped.breakdown = 'all'
),

valued as (
    select
        spined.kpi_name,
        spined.kpi_date,
        spined.breakdown,
        spined.breakdown_value,
        spined.numerator,
        spined.denominator,
        case kpis.aggregation
            when 'sum' then coalesce(spined.numerator, 0)
            when 'ratio'
                then
                    kpis.scale * spined.numerator
                    / nullif(spined.denominator, 0)
            when 'median' then spined.median_value
            when 'per_distinct'
                then spined.numerator / nullif(spined.distinct_count, 0)
        end as kpi_value
    from spined
    inner join kpis
        on spined.kpi_name = kpis.kpi_name
),

backlog_growth as (
    select
        'backlog_growth' as kpi_name,
        kpi_date,
        breakdown,
        breakdown_value,
        cast(null as {{ type_double() }}) as numerator,
        cast(null as {{ type_double() }}) as denominator,
        kpi_value - lag(kpi_value) over (
            partition by breakdown, breakdown_value order by kpi_date
        ) as kpi_value
    from valued
    where kpi_name = 'open_backlog'
)

select * from valued
union all
select * from backlog_growth
