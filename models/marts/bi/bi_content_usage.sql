-- One row per month and visual viewed that month: views, viewers, who viewed it
-- most, and its rank among the month's most and least used content.
with
history as (
    select * from {{ ref('stg_looker__history') }}
),

visuals as (
    select * from {{ ref('bi_visual_last_access') }}
),

users as (
    select * from {{ ref('stg_looker__users') }}
),

accesses as (
    select
        case when dashboard_id is not null then 'dashboard' else 'look' end
            as content_type,
        coalesce(dashboard_id, look_id) as content_id,
        user_id,
        cast({{ dbt.date_trunc('month', 'accessed_at') }} as date)
            as usage_month
    from history
    where dashboard_id is not null or look_id is not null
),

monthly as (
    select
        usage_month,
        content_type,
        content_id,
        count(*) as view_count,
        count(distinct user_id) as viewer_count
    from accesses
    group by usage_month, content_type, content_id
),

viewers as (
    select
        usage_month,
        content_type,
        content_id,
        user_id,
        row_number() over (
            partition by usage_month, content_type, content_id
            order by count(*) desc, user_id
        ) as viewer_rank
    from accesses
    group by usage_month, content_type, content_id, user_id
),

usage_ranked as (
    select
        monthly.usage_month,
        monthly.content_type,
        monthly.content_id,
        visuals.title,
        visuals.creator_email,
        monthly.view_count,
        monthly.viewer_count,
        viewers.user_id as top_viewer_id,
        users.email as top_viewer_email,
        row_number() over (
            partition by monthly.usage_month
            order by monthly.view_count desc, monthly.content_id asc
        ) as most_used_rank,
        row_number() over (
            partition by monthly.usage_month
            order by monthly.view_count asc, monthly.content_id asc
        ) as least_used_rank
    from monthly
    left join visuals
        on
            monthly.content_type = visuals.content_type
            and monthly.content_id = visuals.content_id
    left join viewers
        on
            monthly.usage_month = viewers.usage_month
            and monthly.content_type = viewers.content_type
            and monthly.content_id = viewers.content_id
            and viewers.viewer_rank = 1
    left join users
        on viewers.user_id = users.user_id
)

select * from usage_ranked
