with
source as (
    select * from {{ source('itsm', 'sla_definition') }}
),

renamed as (
    select
        {{ coded_value_code('priority') }} as priority_code,
        cast(resolve_within_hours as {{ dbt.type_int() }})
            as resolve_within_hours,
        cast(sys_updated_at as {{ dbt.type_timestamp() }}) as updated_at  -- UTC
    from source
)

select * from renamed
