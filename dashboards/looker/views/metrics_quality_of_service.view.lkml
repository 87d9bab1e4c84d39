# LookML view over the published mart analytics.metrics_quality_of_service (column docs from its dbt YAML).
view: metrics_quality_of_service {
  sql_table_name: analytics.metrics_quality_of_service ;;

  dimension: period_grain {
    type: string
    description: "hour or day."
    sql: ${TABLE}.period_grain ;;
  }

  dimension_group: period_start_on {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "Start of the hour or day (UTC)."
    sql: ${TABLE}.period_start ;;
  }

  dimension: availability {
    type: number
    description: "Mean of service_up over targets (0-1)."
    sql: ${TABLE}.availability ;;
  }

  dimension: request_count {
    type: number
    description: "HTTP requests in the period."
    sql: ${TABLE}.request_count ;;
  }

  dimension: error_count {
    type: number
    description: "HTTP requests answered 5xx."
    sql: ${TABLE}.error_count ;;
  }

  dimension: error_rate {
    type: number
    description: "error_count / request_count; null when no request."
    sql: ${TABLE}.error_rate ;;
  }

  dimension: latency_p95_seconds {
    type: number
    description: "p95 duration interpolated in the histogram buckets, as histogram_quantile(0.95)."
    sql: ${TABLE}.latency_p95_seconds ;;
  }

  measure: count {
    type: count
  }

  measure: sum_request_count {
    type: sum
    sql: ${TABLE}.request_count ;;
  }

  measure: sum_error_count {
    type: sum
    sql: ${TABLE}.error_count ;;
  }

}
