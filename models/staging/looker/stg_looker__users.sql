with
source as (
    select * from {{ source('looker', 'users') }}
),

renamed as (
    select
        cast(id as {{ dbt.type_string() }}) as user_id,
        lower(email) as email,
        display_name,
        coalesce(is_disabled, false) as is_disabled
    from source
)

select * from renamed
