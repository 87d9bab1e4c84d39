-- Fails the build when more than itsm_max_rejected_share of raw incident
-- events are rejected.
with
validated as (
    select * from {{ ref('int_itsm_events_validated') }}
),

shares as (
    select
        count(*) as raw_events,
        sum(case when rejection_reason is not null then 1 else 0 end)
            as rejected_events
    from validated
)

select * from shares
where rejected_events > {{ var('itsm_max_rejected_share') }} * raw_events
