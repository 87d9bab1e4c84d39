-- Quality of service per hour and per day (period_grain): availability,
-- error rate and p95 latency. Definitions: seed metric_definitions.
with
hourly as (
    select * from {{ ref('fct_metric_values_hourly') }}
    where metric_name in (
        'service_up', 'http_requests', 'http_request_duration_seconds_bucket'
    )
),

periods as (
    select
        'hour' as period_grain,
        hour_start as period_start,
        metric_name,
        dimension_key,
        metric_value
    from hourly
    union all
    select
        'day' as period_grain,
        cast(metric_date as {{ dbt.type_timestamp() }}) as period_start,
        metric_name,
        dimension_key,
        metric_value
    from hourly
),

availability as (
    select
        period_grain,
        period_start,
        avg(metric_value) as availability
    from periods
    where metric_name = 'service_up'
    group by period_grain, period_start
),

requests as (
    select
        period_grain,
        period_start,
        sum(metric_value) as request_count,
        sum(
            case
                when
                    {{ dimension_value('dimension_key', 1) }} like '5%'
                    then metric_value
                else 0
            end
        ) as error_count
    from periods
    where metric_name = 'http_requests'
    group by period_grain, period_start
),

buckets as (
    select
        period_grain,
        period_start,
        {{ dimension_value('dimension_key', 1) }} = '+Inf' as is_inf,
        case
            when {{ dimension_value('dimension_key', 1) }} != '+Inf'
                then
                    cast(
                        {{ dimension_value('dimension_key', 1) }}
                        as {{ type_double() }}
                    )
        end as upper_bound,
        sum(metric_value) as cumulative_count
    from periods
    where metric_name = 'http_request_duration_seconds_bucket'
    group by period_grain, period_start, dimension_key
),

buckets_ordered as (
    select
        *,
        max(case when is_inf then cumulative_count end) over (
            partition by period_grain, period_start
        ) as total_count,
        lag(upper_bound) over (
            partition by period_grain, period_start
            order by case when is_inf then 1 else 0 end, upper_bound
        ) as lower_bound,
        lag(cumulative_count) over (
            partition by period_grain, period_start
            order by case when is_inf then 1 else 0 end, upper_bound
        ) as lower_count,
        row_number() over (
            partition by period_grain, period_start
            order by case when is_inf then 1 else 0 end, upper_bound
        ) as bucket_rank
    from buckets
),

p95_bucket as (
    select
        period_grain,
        period_start,
        min(bucket_rank) as bucket_rank
    from buckets_ordered
    where total_count > 0 and cumulative_count >= 0.95 * total_count
    group by period_grain, period_start
),

latency as (
    select
        buckets_ordered.period_grain,
        buckets_ordered.period_start,
        case
            when buckets_ordered.is_inf then buckets_ordered.lower_bound
            else
                coalesce(buckets_ordered.lower_bound, 0)
                + (
                    buckets_ordered.upper_bound
                    - coalesce(buckets_ordered.lower_bound, 0)
                )
                * (
                    0.95 * buckets_ordered.total_count
                    - coalesce(buckets_ordered.lower_count, 0)
                )
                / nullif(
                    buckets_ordered.cumulative_count
                    - coalesce(buckets_ordered.lower_count, 0),
                    0
                )
        end as latency_p95_seconds
    from buckets_ordered
    inner join p95_bucket
        on
            buckets_ordered.period_grain = p95_bucket.period_grain
            and buckets_ordered.period_start = p95_bucket.period_start
            and buckets_ordered.bucket_rank = p95_bucket.bucket_rank
),

period_keys as (
    select distinct
        period_grain,
        period_start
    from periods
),

quality as (
    select
        period_keys.period_grain,
        period_keys.period_start,
        availability.availability,
        requests.request_count,
        requests.error_count,
        requests.error_count
        / nullif(requests.request_count, 0) as error_rate,
        latency.latency_p95_seconds
    from period_keys
    left join availability
        on
            period_keys.period_grain = availability.period_grain
            and period_keys.period_start = availability.period_start
    left join requests
        on
            period_keys.period_grain = requests.period_grain
            and period_keys.period_start = requests.period_start
    left join latency
        on
            period_keys.period_grain = latency.period_grain
            and period_keys.period_start = latency.period_start
)

select * from quality
