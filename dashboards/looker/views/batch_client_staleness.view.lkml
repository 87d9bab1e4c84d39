# LookML view over the published mart analytics.batch_client_staleness (column docs from its dbt YAML).
view: batch_client_staleness {
  sql_table_name: analytics.batch_client_staleness ;;

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

  dimension_group: last_run {
    type: time
    timeframes: [raw, date, week, month]
    datatype: date
    convert_tz: no
    description: "Run date of the client's latest accepted run (any status)."
    sql: ${TABLE}.last_run_date ;;
  }

  dimension_group: last_run_started {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "Start of the latest accepted run, UTC."
    sql: ${TABLE}.last_run_started_at ;;
  }

  dimension: p95_gap_days {
    type: number
    description: "95th percentile of days between consecutive run dates."
    sql: ${TABLE}.p95_gap_days ;;
  }

  dimension: days_since_last_run {
    type: number
    description: "Days from last_run_date to the as-of date."
    sql: ${TABLE}.days_since_last_run ;;
  }

  dimension: runs_daily {
    type: yesno
    description: "p95_gap_days is at most 1 (or unknown)."
    sql: ${TABLE}.runs_daily ;;
  }

  dimension: has_never_run {
    type: yesno
    description: "The client has no accepted run yet."
    sql: ${TABLE}.has_never_run ;;
  }

  dimension: is_over_one_day {
    type: yesno
    description: "days_since_last_run > batch_stale_after_days (the plain daily rule)."
    sql: ${TABLE}.is_over_one_day ;;
  }

  dimension: is_past_learned_cadence {
    type: yesno
    description: "days_since_last_run > p95_gap_days (the learned-cadence rule)."
    sql: ${TABLE}.is_past_learned_cadence ;;
  }

  dimension: is_stale {
    type: yesno
    sql: ${TABLE}.is_stale ;;
  }

  measure: count {
    type: count
  }

  measure: average_days_since_last_run {
    type: average
    sql: ${TABLE}.days_since_last_run ;;
  }

}
