with
source as (
    select * from {{ source('looker', 'history') }}
),

renamed as (
    select
        cast(history_id as {{ dbt.type_string() }}) as history_id,
        cast(dashboard_id as {{ dbt.type_string() }}) as dashboard_id,
        cast(look_id as {{ dbt.type_string() }}) as look_id,
        cast(user_id as {{ dbt.type_string() }}) as user_id,
        source as access_source,
        cast(created_at as {{ dbt.type_timestamp() }}) as accessed_at  -- UTC
    from source
)

select * from renamed
