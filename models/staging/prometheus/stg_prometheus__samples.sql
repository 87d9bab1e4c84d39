with
source as (
    select * from {{ source('prometheus', 'samples') }}
),

renamed as (
    select
        _sample_key as sample_key,
        query_name,
        metric_name,
        labels as dimension_key,
        value_status,
        cast(value as {{ type_double() }}) as sample_value,
        cast(sample_at as {{ dbt.type_timestamp() }}) as sample_at  -- UTC
    from source
)

select * from renamed
