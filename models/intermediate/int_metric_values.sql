-- Every source's measurements in one long shape: metric, time, dimension key,
-- value, source; with the first rule a value breaks (doc: metric_value_rules).
{% set ga4_hourly_metrics = [
    ('ga4_sessions', 'sessions'),
    ('ga4_new_users', 'new_users'),
    ('ga4_active_users', 'active_users'),
] %}
{#- only the sources KPI_SOURCES enables (dbt_project.yml enables this model
    when any of them is) -#}
{% set parts = [] %}
with
catalog as (
    select * from {{ ref('metric_definitions') }}
),

{% if kpi_source_enabled('ga4') %}
    {% do parts.extend(['ga4_hourly', 'ga4_daily']) %}
    traffic as (
        select * from {{ ref('stg_ga4__traffic') }}
    ),

    events as (
        select * from {{ ref('stg_ga4__events') }}
    ),

    ga4_hourly as (
        {% for metric, column in ga4_hourly_metrics %}
            select
                '{{ metric }}' as metric_name,
                hour_start as measured_at,
                'hour' as source_grain,
                {{ dbt.concat([
                    "'channel='", "coalesce(channel, '')",
                    "'|new_vs_returning='", "coalesce(new_vs_returning, '')",
                ]) }} as dimension_key,
                {{ column }} as metric_value,
                cast(null as {{ dbt.type_string() }}) as value_status,
                'ga4' as source_system
            from traffic
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
    ),

    ga4_daily as (
        select
            case event_name
                when 'sign_up' then 'ga4_sign_ups'
                when 'activation' then 'ga4_activations'
            end as metric_name,
            cast(event_date as {{ dbt.type_timestamp() }}) as measured_at,
            'day' as source_grain,
            {{ dbt.concat(["'channel='", "coalesce(channel, '')"]) }}
                as dimension_key,
            event_count as metric_value,
            cast(null as {{ dbt.type_string() }}) as value_status,
            'ga4' as source_system
        from events
        where event_name in ('sign_up', 'activation')
    ),

{% endif %}

{% if kpi_source_enabled('prometheus') %}
    {% do parts.append('prometheus_samples') %}
    samples as (
        select * from {{ ref('stg_prometheus__samples') }}
    ),

    prometheus_samples as (
        select
            metric_name,
            sample_at as measured_at,
            'sample' as source_grain,
            coalesce(dimension_key, '') as dimension_key,
            sample_value as metric_value,
            value_status,
            'prometheus' as source_system
        from samples
    ),

{% endif %}

{% if kpi_source_enabled('appdb') %}
    {% do parts.append('app_counts') %}
    table_counts as (
        select * from {{ ref('stg_appdb__table_counts') }}
    ),

    app_counts as (
        select
            {{ dbt.concat(["'app_rows_'", 'table_name']) }} as metric_name,
            counted_at as measured_at,
            'hour' as source_grain,
            '' as dimension_key,
            row_count as metric_value,
            cast(null as {{ dbt.type_string() }}) as value_status,
            'appdb' as source_system
        from table_counts
    ),

{% endif %}

all_values as (
    {% for part in parts %}
        select * from {{ part }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

values_checked as (
    select
        all_values.*,
        catalog.daily_rollup,
        case
            when catalog.metric_name is null then 'unknown_metric'
            when all_values.value_status = 'nan' then 'nan_value'
            when all_values.value_status = 'inf' then 'infinite_value'
            when all_values.metric_value is null then 'null_value'
            when all_values.measured_at is null then 'missing_time'
        end as rejection_reason
    from all_values
    left join catalog
        on all_values.metric_name = catalog.metric_name
)

select * from values_checked
