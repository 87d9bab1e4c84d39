with
source as (
    select * from {{ source('ga4', 'traffic') }}
),

renamed as (
    select
        session_default_channel_group as channel,
        new_vs_returning,
        cast(sessions as {{ type_double() }}) as sessions,
        cast(active_users as {{ type_double() }}) as active_users,
        cast(new_users as {{ type_double() }}) as new_users,
        cast(date_hour as {{ dbt.type_timestamp() }}) as hour_start
    from source
)

select * from renamed
