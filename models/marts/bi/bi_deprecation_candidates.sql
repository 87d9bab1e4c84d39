-- One row per visual with the action the deprecation job should take.
-- Rules and thresholds: doc block bi_deprecation_rule.
{% set threshold = var('bi_idle_threshold_days') %}
with
visuals as (
    select * from {{ ref('bi_visual_last_access') }}
),

exemptions as (
    select * from {{ ref('bi_exemptions') }}
),

elements as (
    select * from {{ ref('stg_looker__dashboard_elements') }}
),

looks_on_live_dashboards as (
    select distinct elements.look_id
    from elements
    inner join visuals as dashboards
        on
            elements.dashboard_id = dashboards.content_id
            and dashboards.content_type = 'dashboard'
    where not dashboards.is_deleted
),

visuals_judged as (
    select
        visuals.content_type,
        visuals.content_id,
        visuals.title,
        visuals.creator_id,
        visuals.creator_email,
        visuals.is_creator_disabled,
        visuals.is_deleted,
        visuals.created_at,
        visuals.deleted_at,
        visuals.last_access_date,
        visuals.days_idle,
        visuals.days_in_trash,
        {{ threshold }} as threshold_days,
        {{ threshold }} - visuals.days_idle as days_until_soft_delete,
        cast(visuals.last_access_date as {{ dbt.type_string() }})
            as warn_cycle_key,
        case
            when exemptions.content_id is not null then 'exempt'
            when visuals.favorite_count > 0 then 'exempt'
            when live.look_id is not null then 'exempt'
            when
                visuals.is_deleted
                and visuals.days_in_trash >= {{ var('bi_trash_days') }}
                then 'hard_delete'
            when visuals.is_deleted then 'keep'
            when visuals.days_idle >= {{ threshold }} then 'soft_delete'
            when
                visuals.days_idle
                >= {{ threshold }} - {{ var('bi_warning_days') }}
                then 'warn'
            else 'keep'
        end as deprecation_action,
        case
            when exemptions.content_id is not null
                then
                    {{ dbt.concat(["'exempt: '", 'exemptions.reason']) }}
            when visuals.favorite_count > 0 then 'a favourite'
            when live.look_id is not null then 'used on a live dashboard'
            when visuals.is_deleted then 'in Trash'
            when
                visuals.days_idle >= {{ threshold }}
                then 'idle past the threshold'
            when
                visuals.days_idle
                >= {{ threshold }} - {{ var('bi_warning_days') }}
                then 'idle, within the warning week'
            else 'in use'
        end as action_reason
    from visuals
    left join exemptions
        on
            visuals.content_type = exemptions.content_type
            and visuals.content_id
            = cast(exemptions.content_id as {{ dbt.type_string() }})
    left join looks_on_live_dashboards as live
        on
            visuals.content_type = 'look'
            and visuals.content_id = live.look_id
)

select * from visuals_judged
