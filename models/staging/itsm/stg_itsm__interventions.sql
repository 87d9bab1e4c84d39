-- No rows when the source has no intervention table (e.g. a CSV export alone).
{% if source_is_loaded('itsm', 'intervention') %}
    with
    source as (
        select * from {{ source('itsm', 'intervention') }}
    ),

    renamed as (
        select
            cast(id as {{ dbt.type_string() }}) as intervention_id,
            cast(ticket as {{ dbt.type_string() }}) as ticket_number,
            location,
            cast(technician as {{ dbt.type_string() }}) as technician,
            lower(trim(status)) as intervention_status,
            cast(planned_date as date) as planned_date,
            cast(delivered_date as date) as delivered_date,
            cast(sys_updated_at as {{ dbt.type_timestamp() }}) as updated_at  -- UTC
        from source
    )

    select * from renamed
{% else %}
    select
        cast(null as {{ dbt.type_string() }}) as intervention_id,
        cast(null as {{ dbt.type_string() }}) as ticket_number,
        cast(null as {{ dbt.type_string() }}) as location,  -- noqa: RF04
        cast(null as {{ dbt.type_string() }}) as technician,
        cast(null as {{ dbt.type_string() }}) as intervention_status,
        cast(null as date) as planned_date,
        cast(null as date) as delivered_date,
        cast(null as {{ dbt.type_timestamp() }}) as updated_at
    where 1 = 0
{% endif %}
