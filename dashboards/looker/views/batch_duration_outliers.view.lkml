# LookML view over the published mart analytics.batch_duration_outliers (column docs from its dbt YAML).
view: batch_duration_outliers {
  sql_table_name: analytics.batch_duration_outliers ;;

  dimension: run_id {
    primary_key: yes
    type: string
    description: "The scheduler's run identifier."
    sql: ${TABLE}.run_id ;;
  }

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

  dimension: instance_size {
    type: string
    description: "AWS instance size the run used."
    sql: ${TABLE}.instance_size ;;
  }

  dimension: run_status {
    type: string
    description: "Status of the flagged run."
    sql: ${TABLE}.run_status ;;
  }

  dimension: duration_minutes {
    type: number
    sql: ${TABLE}.duration_minutes ;;
  }

  dimension: baseline_median_minutes {
    type: number
    description: "The client's usual duration (median of its baseline), minutes."
    sql: ${TABLE}.baseline_median_minutes ;;
  }

  dimension: duration_vs_baseline_ratio {
    type: number
    description: "How many times longer than usual."
    sql: ${TABLE}.duration_vs_baseline_ratio ;;
  }

  dimension: duration_z_score {
    type: number
    description: "Robust z-score (at or above batch_outlier_z_threshold)."
    sql: ${TABLE}.duration_z_score ;;
  }

  dimension: baseline_run_count {
    type: number
    description: "Runs in the baseline (at least batch_outlier_min_history)."
    sql: ${TABLE}.baseline_run_count ;;
  }

  dimension_group: run {
    type: time
    timeframes: [raw, date, week, month]
    datatype: date
    convert_tz: no
    description: "The business date of the run."
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
    description: "End time, UTC."
    sql: ${TABLE}.ended_at ;;
  }

  measure: count {
    type: count
  }

  measure: average_duration_minutes {
    type: average
    sql: ${TABLE}.duration_minutes ;;
  }

}
