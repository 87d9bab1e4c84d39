with
source as (
    select * from {{ source('appdb', 'table_counts') }}
),

renamed as (
    select
        table_name,
        cast(row_count as {{ type_double() }}) as row_count,
        cast(counted_at as {{ dbt.type_timestamp() }}) as counted_at  -- UTC
    from source
)

select * from renamed
