with
source as (
    select * from {{ source('itsm', 'incident') }}
),

renamed as (
    select
        cast(_event_key as {{ dbt.type_string() }}) as event_key,
        cast(number as {{ dbt.type_string() }}) as ticket_number,
        cast(caller_id as {{ dbt.type_string() }}) as caller_id,
        cast(opened_by as {{ dbt.type_string() }}) as opened_by,
        cast(sys_updated_by as {{ dbt.type_string() }}) as updated_by,
        cast(assignment_group as {{ dbt.type_string() }}) as assignment_group,
        cast(assigned_to as {{ dbt.type_string() }}) as assigned_to,
        cast(resolved_by as {{ dbt.type_string() }}) as resolved_by,
        cast(problem_id as {{ dbt.type_string() }}) as problem_id,
        trim(incident_state) as ticket_state,
        contact_type,
        location,
        category,
        subcategory,
        closed_code,
        {{ coded_value_code('impact') }} as impact_code,
        {{ coded_value_label('impact') }} as impact_label,
        {{ coded_value_code('urgency') }} as urgency_code,
        {{ coded_value_label('urgency') }} as urgency_label,
        {{ coded_value_code('priority') }} as priority_code,
        {{ coded_value_label('priority') }} as priority_label,
        cast(sys_mod_count as {{ dbt.type_int() }}) as event_seq,
        cast(reassignment_count as {{ dbt.type_int() }})
            as reassignment_count,
        cast(reopen_count as {{ dbt.type_int() }}) as reopen_count,
        active as is_active,
        made_sla as is_sla_made,
        cast(opened_at as {{ dbt.type_timestamp() }}) as opened_at,  -- UTC
        -- UTC
        cast(sys_updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        cast(resolved_at as {{ dbt.type_timestamp() }}) as resolved_at,  -- UTC
        cast(closed_at as {{ dbt.type_timestamp() }}) as closed_at  -- UTC
    from source
)

select * from renamed
