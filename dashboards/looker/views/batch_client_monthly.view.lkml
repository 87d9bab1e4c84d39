# LookML view over the published mart analytics.batch_client_monthly (column docs from its dbt YAML).
view: batch_client_monthly {
  sql_table_name: analytics.batch_client_monthly ;;

  dimension: client_id {
    type: string
    description: "The client."
    sql: ${TABLE}.client_id ;;
  }

  dimension: client_name {
    type: string
    description: "The client's company name."
    sql: ${TABLE}.client_name ;;
  }

  dimension_group: run_month_on {
    type: time
    timeframes: [raw, date, week, month]
    datatype: date
    convert_tz: no
    description: "First day of the calendar month (UTC)."
    sql: ${TABLE}.run_month ;;
  }

  dimension: run_count {
    type: number
    description: "Accepted runs in the month."
    sql: ${TABLE}.run_count ;;
  }

  dimension: unsuccessful_run_count {
    type: number
    description: "Runs that did not succeed (failed or still running)."
    sql: ${TABLE}.unsuccessful_run_count ;;
  }

  dimension: outlier_run_count {
    type: number
    description: "Runs flagged as duration outliers."
    sql: ${TABLE}.outlier_run_count ;;
  }

  dimension: avg_duration_minutes {
    type: number
    sql: ${TABLE}.avg_duration_minutes ;;
  }

  dimension: avg_duration_hours {
    type: number
    description: "avg_duration_minutes / 60."
    sql: ${TABLE}.avg_duration_hours ;;
  }

  dimension: previous_avg_duration_minutes {
    type: number
    description: "The previous calendar month's average, minutes (null if none)."
    sql: ${TABLE}.previous_avg_duration_minutes ;;
  }

  dimension: avg_duration_mom_change_pct {
    type: number
    sql: ${TABLE}.avg_duration_mom_change_pct ;;
  }

  measure: count {
    type: count
  }

  measure: sum_run_count {
    type: sum
    sql: ${TABLE}.run_count ;;
  }

  measure: sum_outlier_run_count {
    type: sum
    sql: ${TABLE}.outlier_run_count ;;
  }

}
