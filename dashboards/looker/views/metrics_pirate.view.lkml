# LookML view over the published mart analytics.metrics_pirate (column docs from its dbt YAML).
view: metrics_pirate {
  sql_table_name: analytics.metrics_pirate ;;

  dimension_group: metric {
    type: time
    timeframes: [raw, date, week, month]
    datatype: date
    convert_tz: no
    description: "The day."
    sql: ${TABLE}.metric_date ;;
  }

  dimension: channel {
    type: string
    description: "GA4 default channel group, or 'All channels'."
    sql: ${TABLE}.channel ;;
  }

  dimension: sessions {
    type: number
    description: "Sessions (ga4_sessions)."
    sql: ${TABLE}.sessions ;;
  }

  dimension: new_users {
    type: number
    description: "New users (ga4_new_users): acquisition."
    sql: ${TABLE}.new_users ;;
  }

  dimension: active_users {
    type: number
    description: "Active users, busiest hour of the day."
    sql: ${TABLE}.active_users ;;
  }

  dimension: sign_ups {
    type: number
    description: "sign_up events."
    sql: ${TABLE}.sign_ups ;;
  }

  dimension: activations {
    type: number
    description: "activation events."
    sql: ${TABLE}.activations ;;
  }

  dimension: activation_rate {
    type: number
    description: "activations / new_users; null when no new user."
    sql: ${TABLE}.activation_rate ;;
  }

  dimension: returning_user_share {
    type: number
    description: "Retention proxy: returning / all active users; null when none."
    sql: ${TABLE}.returning_user_share ;;
  }

  dimension: app_users {
    type: number
    description: "Users in the app database (last count of the day; 'All channels' rows)."
    sql: ${TABLE}.app_users ;;
  }

  measure: count {
    type: count
  }

  measure: sum_sessions {
    type: sum
    sql: ${TABLE}.sessions ;;
  }

  measure: sum_new_users {
    type: sum
    sql: ${TABLE}.new_users ;;
  }

  measure: sum_sign_ups {
    type: sum
    sql: ${TABLE}.sign_ups ;;
  }

  measure: sum_activations {
    type: sum
    sql: ${TABLE}.activations ;;
  }

}
