-- Fails the build when more than batch_max_rejected_share of raw batch runs are
-- rejected: a feed that broken must be fixed at the source, not published.
with
validated as (
    select * from {{ ref('int_batch_runs_validated') }}
),

shares as (
    select
        count(*) as raw_runs,
        sum(case when rejection_reason is not null then 1 else 0 end)
            as rejected_runs
    from validated
)

select * from shares
where rejected_runs > {{ var('batch_max_rejected_share') }} * raw_runs
