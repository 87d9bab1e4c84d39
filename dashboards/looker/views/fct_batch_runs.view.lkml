# LookML view over the published mart analytics.fct_batch_runs (column docs from its dbt YAML).
view: fct_batch_runs {
  sql_table_name: analytics.fct_batch_runs ;;

  dimension: run_id {
    primary_key: yes
    type: string
    description: "The scheduler's run identifier."
    sql: ${TABLE}.run_id ;;
  }

  dimension: client_id {
    type: string
    description: "The client the run produced a report for."
    sql: ${TABLE}.client_id ;;
  }

  dimension: client_name {
    type: string
    description: "The client's company name."
    sql: ${TABLE}.client_name ;;
  }

  dimension: instance_size {
    type: string
    description: "AWS instance size the run used (t3.medium ... m5.4xlarge)."
    sql: ${TABLE}.instance_size ;;
  }

  dimension: run_status {
    type: string
    description: "success, failed or running (seed batch_run_statuses)."
    sql: ${TABLE}.run_status ;;
  }

  dimension: daily_sales {
    type: number
    description: "Sales volume the run processed, in dollars."
    sql: ${TABLE}.daily_sales ;;
  }

  dimension: duration_minutes {
    type: number
    sql: ${TABLE}.duration_minutes ;;
  }

  dimension: duration_hours {
    type: number
    description: "duration_minutes / 60."
    sql: ${TABLE}.duration_hours ;;
  }

  dimension: baseline_run_count {
    type: number
    description: "How many previous successful runs form the baseline (0 to the window)."
    sql: ${TABLE}.baseline_run_count ;;
  }

  dimension: baseline_median_minutes {
    type: number
    description: "exp(median ln duration) of the baseline runs, in minutes."
    sql: ${TABLE}.baseline_median_minutes ;;
  }

  dimension: baseline_log_mad {
    type: number
    description: "Median absolute deviation of ln duration in the baseline (log units)."
    sql: ${TABLE}.baseline_log_mad ;;
  }

  dimension: duration_z_score {
    type: number
    description: "Robust z-score of this run against its baseline (6 decimals)."
    sql: ${TABLE}.duration_z_score ;;
  }

  dimension: duration_vs_baseline_ratio {
    type: number
    description: "duration_minutes / baseline_median_minutes."
    sql: ${TABLE}.duration_vs_baseline_ratio ;;
  }

  dimension: is_successful {
    type: yesno
    description: "run_status = 'success'."
    sql: ${TABLE}.is_successful ;;
  }

  dimension: is_duration_outlier {
    type: yesno
    sql: ${TABLE}.is_duration_outlier ;;
  }

  dimension_group: run {
    type: time
    timeframes: [raw, date, week, month]
    datatype: date
    convert_tz: no
    description: "The business date the run is for."
    sql: ${TABLE}.run_date ;;
  }

  dimension_group: started {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "Start time, UTC."
    sql: ${TABLE}.started_at ;;
  }

  dimension_group: ended {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "End time, UTC (null while running)."
    sql: ${TABLE}.ended_at ;;
  }

  measure: count {
    type: count
  }

  measure: average_duration_minutes {
    type: average
    sql: ${TABLE}.duration_minutes ;;
  }

  measure: sum_daily_sales {
    type: sum
    sql: ${TABLE}.daily_sales ;;
  }

}
