with
source as (
    select * from {{ source('ga4', 'events') }}
),

renamed as (
    select
        session_default_channel_group as channel,
        event_name,
        cast(event_count as {{ type_double() }}) as event_count,
        cast(date as date) as event_date
    from source
)

select * from renamed
