# LookML view over the published mart analytics.dim_batch_clients (column docs from its dbt YAML).
view: dim_batch_clients {
  sql_table_name: analytics.dim_batch_clients ;;

  label: "Dim batch clients"

  dimension: client_id {
    primary_key: yes
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
    description: "AWS instance size of the client's batch."
    sql: ${TABLE}.instance_size ;;
  }

  dimension: avg_daily_sales {
    type: number
    description: "Average daily sales volume, dollars."
    sql: ${TABLE}.avg_daily_sales ;;
  }

  dimension_group: first_run {
    type: time
    timeframes: [raw, date, week, month]
    datatype: date
    convert_tz: no
    description: "Date of the client's first batch run."
    sql: ${TABLE}.first_run_date ;;
  }

  dimension: latest_run_status {
    type: string
    description: "Status of the latest accepted run."
    sql: ${TABLE}.latest_run_status ;;
  }

  dimension: latest_run_duration_minutes {
    type: number
    sql: ${TABLE}.latest_run_duration_minutes ;;
  }

  dimension_group: latest_run_ended {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "End of the latest accepted run, UTC."
    sql: ${TABLE}.latest_run_ended_at ;;
  }

  dimension: hours_since_latest_run {
    type: number
    description: "Hours from the latest run's end to the as-of moment."
    sql: ${TABLE}.hours_since_latest_run ;;
  }

  dimension: days_since_last_run {
    type: number
    description: "See batch_client_staleness."
    sql: ${TABLE}.days_since_last_run ;;
  }

  dimension: is_stale {
    type: yesno
    sql: ${TABLE}.is_stale ;;
  }

  dimension: runs_last_30_days {
    type: number
    description: "Accepted runs with run_date in the last 30 days."
    sql: ${TABLE}.runs_last_30_days ;;
  }

  dimension: failed_runs_last_30_days {
    type: number
    description: "Failed runs in the last 30 days."
    sql: ${TABLE}.failed_runs_last_30_days ;;
  }

  dimension: outlier_runs_last_30_days {
    type: number
    description: "Duration outliers in the last 30 days."
    sql: ${TABLE}.outlier_runs_last_30_days ;;
  }

  dimension: failed_run_rate_last_30_days {
    type: number
    sql: ${TABLE}.failed_run_rate_last_30_days ;;
  }

  measure: count {
    type: count
  }

  measure: average_avg_daily_sales {
    type: average
    sql: ${TABLE}.avg_daily_sales ;;
  }

}
