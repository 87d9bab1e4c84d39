with
source as (
    select * from {{ source('looker', 'content') }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as content_id,
        content_type,
        cast(user_id as {{ dbt.type_string() }}) as creator_id,
        cast(folder_id as {{ dbt.type_string() }}) as folder_id,
        title,
        folder_name,
        coalesce(favorite_count, 0) as favorite_count,
        coalesce(view_count, 0) as view_count,
        coalesce(deleted, false) as is_deleted,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,  -- UTC
        cast(deleted_at as {{ dbt.type_timestamp() }}) as deleted_at,  -- UTC
        cast(last_viewed_at as {{ dbt.type_timestamp() }}) as last_viewed_at
    from source
)

select * from renamed
