# LookML view over the published mart analytics.itsm_kpis_daily (column docs from its dbt YAML).
view: itsm_kpis_daily {
  sql_table_name: analytics.itsm_kpis_daily ;;

  dimension: kpi_name {
    type: string
    sql: ${TABLE}.kpi_name ;;
  }

  dimension_group: kpi {
    type: time
    timeframes: [raw, date, week, month]
    datatype: date
    convert_tz: no
    description: "The day (UTC)."
    sql: ${TABLE}.kpi_date ;;
  }

  dimension: breakdown {
    type: string
    description: "all, priority_label, assignment_group, category, location or contact_type."
    sql: ${TABLE}.breakdown ;;
  }

  dimension: breakdown_value {
    type: string
    description: "Value of the breakdown ('(none)' when missing)."
    sql: ${TABLE}.breakdown_value ;;
  }

  dimension: numerator {
    type: number
    description: "Sum of the facts' numerators."
    sql: ${TABLE}.numerator ;;
  }

  dimension: denominator {
    type: number
    description: "Sum of the facts' denominators."
    sql: ${TABLE}.denominator ;;
  }

  dimension: kpi_value {
    type: number
    description: "The KPI's value, by the catalog's roll-up rule."
    sql: ${TABLE}.kpi_value ;;
  }

  measure: count {
    type: count
  }

}
