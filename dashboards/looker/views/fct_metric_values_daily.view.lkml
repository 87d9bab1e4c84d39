# LookML view over the published mart analytics.fct_metric_values_daily (column docs from its dbt YAML).
view: fct_metric_values_daily {
  sql_table_name: analytics.fct_metric_values_daily ;;

  dimension: metric_name {
    type: string
    sql: ${TABLE}.metric_name ;;
  }

  dimension_group: metric {
    type: time
    timeframes: [raw, date, week, month]
    datatype: date
    convert_tz: no
    description: "The day (UTC; GA4: the property's time zone)."
    sql: ${TABLE}.metric_date ;;
  }

  dimension: dimension_key {
    type: string
    sql: ${TABLE}.dimension_key ;;
  }

  dimension: source_system {
    type: string
    description: "ga4, prometheus or appdb."
    sql: ${TABLE}.source_system ;;
  }

  dimension: hour_count {
    type: number
    description: "Hours rolled into the day (0: reported per day)."
    sql: ${TABLE}.hour_count ;;
  }

  dimension: metric_value {
    type: number
    sql: ${TABLE}.metric_value ;;
  }

  measure: count {
    type: count
  }

}
