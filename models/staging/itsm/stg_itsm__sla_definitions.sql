-- depends_on: {{ ref('itsm_priorities') }}
-- From raw_itsm.sla_definition when the source has one; else the targets in
-- the itsm_priorities seed (default_resolve_within_hours), e.g. for a CSV
-- export alone.
{% if source_is_loaded('itsm', 'sla_definition') %}
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
{% else %}
    with
    priorities as (
        select * from {{ ref('itsm_priorities') }}
    )

    select
        cast(priority_code as {{ dbt.type_string() }}) as priority_code,
        cast(default_resolve_within_hours as {{ dbt.type_int() }})
            as resolve_within_hours,
        cast(null as {{ dbt.type_timestamp() }}) as updated_at
    from priorities
{% endif %}
