-- One row per dashboard or look: when it was last accessed and how long it has
-- been idle. Content never accessed counts from its creation, so new content is
-- not flagged. Rules: doc block bi_last_access_rule.
with
content as (
    select * from {{ ref('stg_looker__content') }}
),

users as (
    select * from {{ ref('stg_looker__users') }}
),

history as (
    select * from {{ ref('stg_looker__history') }}
),

accesses as (
    select
        'dashboard' as content_type,
        dashboard_id as content_id,
        accessed_at
    from history
    where dashboard_id is not null
    union all
    select
        'look' as content_type,
        look_id as content_id,
        accessed_at
    from history
    where look_id is not null
    union all
    -- the API's own last view also counts (history may be younger than it)
    select
        content_type,
        content_id,
        last_viewed_at as accessed_at
    from content
    where last_viewed_at is not null
),

last_accesses as (
    select
        content_type,
        content_id,
        max(accessed_at) as last_accessed_at,
        count(*) as access_count
    from accesses
    group by content_type, content_id
),

visuals as (
    select
        content.content_id,
        content.content_type,
        content.title,
        content.creator_id,
        users.email as creator_email,
        coalesce(users.is_disabled, false) as is_creator_disabled,
        content.folder_name,
        content.favorite_count,
        content.is_deleted,
        content.created_at,
        content.deleted_at,
        last_accesses.last_accessed_at,
        coalesce(last_accesses.access_count, 0) as access_count,
        last_accesses.last_accessed_at is not null as has_been_accessed,
        cast(
            coalesce(last_accesses.last_accessed_at, content.created_at) as date
        ) as last_access_date
    from content
    left join users
        on content.creator_id = users.user_id
    left join last_accesses
        on
            content.content_type = last_accesses.content_type
            and content.content_id = last_accesses.content_id
),

visuals_aged as (
    select
        *,
        cast(
            {{ dbt.datediff('last_access_date', as_of_date(), 'day') }}
            as {{ dbt.type_int() }}
        ) as days_idle,
        case
            when is_deleted
                then cast({{ dbt.datediff(
                    'cast(deleted_at as date)', as_of_date(), 'day'
                ) }} as {{ dbt.type_int() }})
        end as days_in_trash
    from visuals
)

select * from visuals_aged
