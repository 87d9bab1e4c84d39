# LookML view over the published mart analytics.bi_content_usage (column docs from its dbt YAML).
view: bi_content_usage {
  sql_table_name: analytics.bi_content_usage ;;

  label: "Bi content usage"

  dimension_group: usage_month_on {
    type: time
    timeframes: [raw, date, week, month]
    datatype: date
    convert_tz: no
    description: "First day of the month (UTC)."
    sql: ${TABLE}.usage_month ;;
  }

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

  dimension: creator_email {
    type: string
    description: "Owner's email."
    sql: ${TABLE}.creator_email ;;
  }

  dimension: view_count {
    type: number
    description: "Views in the month."
    sql: ${TABLE}.view_count ;;
  }

  dimension: viewer_count {
    type: number
    description: "Distinct users who viewed it."
    sql: ${TABLE}.viewer_count ;;
  }

  dimension: top_viewer_id {
    type: string
    description: "User with the most views that month."
    sql: ${TABLE}.top_viewer_id ;;
  }

  dimension: top_viewer_email {
    type: string
    description: "Their email."
    sql: ${TABLE}.top_viewer_email ;;
  }

  dimension: most_used_rank {
    type: number
    description: "1 = most viewed that month."
    sql: ${TABLE}.most_used_rank ;;
  }

  dimension: least_used_rank {
    type: number
    description: "1 = least viewed that month (among viewed content)."
    sql: ${TABLE}.least_used_rank ;;
  }

  measure: count {
    type: count
  }

  measure: sum_view_count {
    type: sum
    sql: ${TABLE}.view_count ;;
  }

}
