-- Pirate metrics (AARRR) by day and channel, plus an 'All channels' row per
-- day.
-- Definitions: seed metric_definitions (activation_rate, returning_user_share).
with
daily as (
    select * from {{ ref('fct_metric_values_daily') }}
),

ga4 as (
    select
        metric_date,
        metric_name,
        metric_value,
        {{ dimension_value('dimension_key', 1) }} as channel,
        {{ dimension_value('dimension_key', 2) }} as new_vs_returning
    from daily
    where metric_name in (
        'ga4_sessions', 'ga4_new_users', 'ga4_active_users',
        'ga4_sign_ups', 'ga4_activations'
    )
),

{% set measures %}
    sum(case when metric_name = 'ga4_sessions' then metric_value end)
    as sessions,
    sum(case when metric_name = 'ga4_new_users' then metric_value end)
    as new_users,
    sum(case when metric_name = 'ga4_active_users' then metric_value end)
    as active_users,
    sum(
        case
            when
                metric_name = 'ga4_active_users'
                and new_vs_returning = 'returning'
                then metric_value
        end
    ) as returning_active_users,
    sum(case when metric_name = 'ga4_sign_ups' then metric_value end)
    as sign_ups,
    sum(case when metric_name = 'ga4_activations' then metric_value end)
    as activations
{% endset %}

by_channel as (
    select
        metric_date,
        channel,
        {{ measures }}
    from ga4
    group by metric_date, channel
    union all
    select
        metric_date,
        'All channels' as channel,
        {{ measures }}
    from ga4
    group by metric_date
),

app_users as (
    select
        metric_date,
        metric_value as app_users
    from daily
    where metric_name = 'app_rows_users'
),

pirate as (
    select
        by_channel.metric_date,
        by_channel.channel,
        coalesce(by_channel.sessions, 0) as sessions,
        coalesce(by_channel.new_users, 0) as new_users,
        coalesce(by_channel.active_users, 0) as active_users,
        coalesce(by_channel.sign_ups, 0) as sign_ups,
        coalesce(by_channel.activations, 0) as activations,
        by_channel.activations
        / nullif(by_channel.new_users, 0) as activation_rate,
        by_channel.returning_active_users
        / nullif(by_channel.active_users, 0) as returning_user_share,
        case
            when by_channel.channel = 'All channels' then app_users.app_users
        end as app_users
    from by_channel
    left join app_users
        on by_channel.metric_date = app_users.metric_date
)

select * from pirate
