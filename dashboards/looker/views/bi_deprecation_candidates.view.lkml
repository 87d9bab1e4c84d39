# LookML view over the published mart analytics.bi_deprecation_candidates (column docs from its dbt YAML).
view: bi_deprecation_candidates {
  sql_table_name: analytics.bi_deprecation_candidates ;;

  dimension: content_type {
    type: string
    description: "dashboard or look."
    sql: ${TABLE}.content_type ;;
  }

  dimension: content_id {
    type: string
    description: "Looker id."
    sql: ${TABLE}.content_id ;;
  }

  dimension: title {
    type: string
    description: "Title."
    sql: ${TABLE}.title ;;
  }

  dimension: creator_id {
    type: string
    description: "Owner's Looker user id."
    sql: ${TABLE}.creator_id ;;
  }

  dimension: creator_email {
    type: string
    description: "Owner's email."
    sql: ${TABLE}.creator_email ;;
  }

  dimension: is_creator_disabled {
    type: yesno
    description: "Owner disabled: warn the fallback channel."
    sql: ${TABLE}.is_creator_disabled ;;
  }

  dimension: is_deleted {
    type: yesno
    description: "In Trash."
    sql: ${TABLE}.is_deleted ;;
  }

  dimension_group: created {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "Created, UTC."
    sql: ${TABLE}.created_at ;;
  }

  dimension_group: deleted {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "Moved to Trash, UTC."
    sql: ${TABLE}.deleted_at ;;
  }

  dimension_group: last_access {
    type: time
    timeframes: [raw, date, week, month]
    datatype: date
    convert_tz: no
    sql: ${TABLE}.last_access_date ;;
  }

  dimension: days_idle {
    type: number
    description: "Days since the last access."
    sql: ${TABLE}.days_idle ;;
  }

  dimension: days_in_trash {
    type: number
    description: "Days in Trash."
    sql: ${TABLE}.days_in_trash ;;
  }

  dimension: threshold_days {
    type: number
    description: "N, the idle threshold in force."
    sql: ${TABLE}.threshold_days ;;
  }

  dimension: days_until_soft_delete {
    type: number
    description: "N - days_idle."
    sql: ${TABLE}.days_until_soft_delete ;;
  }

  dimension: warn_cycle_key {
    type: string
    description: "Identifies the idle streak (one warning per streak)."
    sql: ${TABLE}.warn_cycle_key ;;
  }

  dimension: deprecation_action {
    type: string
    sql: ${TABLE}.deprecation_action ;;
  }

  dimension: action_reason {
    type: string
    description: "Why this action, in words."
    sql: ${TABLE}.action_reason ;;
  }

  measure: count {
    type: count
  }

}
