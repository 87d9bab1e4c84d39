with
source as (
    select * from {{ source('batch', 'batch_runs') }}
),

renamed as (
    select
        cast(run_id as {{ dbt.type_string() }}) as run_id,
        cast(client_id as {{ dbt.type_string() }}) as client_id,
        cast(instance_size as {{ dbt.type_string() }}) as instance_size,
        lower(trim(status)) as run_status,
        cast(daily_sales as {{ dbt.type_numeric() }}) as daily_sales,
        cast(
            {{ dbt.datediff('started_at', 'ended_at', 'second') }}
            as {{ type_double() }}
        ) / 60 as duration_minutes,
        cast(run_date as date) as run_date,
        cast(started_at as {{ dbt.type_timestamp() }}) as started_at,  -- UTC
        cast(ended_at as {{ dbt.type_timestamp() }}) as ended_at,  -- UTC
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at  -- UTC
    from source
)

select * from renamed
