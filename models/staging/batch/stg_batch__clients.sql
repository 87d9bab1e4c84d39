with
source as (
    select * from {{ source('batch', 'clients') }}
),

renamed as (
    select
        cast(client_id as {{ dbt.type_string() }}) as client_id,
        cast(client_name as {{ dbt.type_string() }}) as client_name,
        cast(instance_size as {{ dbt.type_string() }}) as instance_size,
        cast(avg_daily_sales as {{ dbt.type_numeric() }}) as avg_daily_sales,
        cast(first_run_date as date) as first_run_date,
        cast(created_at as {{ dbt.type_timestamp() }}) as created_at,  -- UTC
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at  -- UTC
    from source
)

select * from renamed
