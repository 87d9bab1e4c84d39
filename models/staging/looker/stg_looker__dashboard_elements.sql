with
source as (
    select * from {{ source('looker', 'dashboard_elements') }}
),

renamed as (
    select
        cast(element_id as {{ dbt.type_string() }}) as element_id,
        cast(dashboard_id as {{ dbt.type_string() }}) as dashboard_id,
        cast(look_id as {{ dbt.type_string() }}) as look_id
    from source
)

select * from renamed
