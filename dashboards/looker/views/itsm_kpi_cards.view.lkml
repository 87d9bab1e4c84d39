# LookML view over the published mart analytics.itsm_kpi_cards (column docs from its dbt YAML).
view: itsm_kpi_cards {
  sql_table_name: analytics.itsm_kpi_cards ;;

  label: "Itsm kpi cards"

  dimension: kpi_name {
    primary_key: yes
    type: string
    sql: ${TABLE}.kpi_name ;;
  }

  dimension: kpi_label {
    type: string
    description: "Display name."
    sql: ${TABLE}.kpi_label ;;
  }

  dimension: unit {
    type: string
    description: "Unit of the value."
    sql: ${TABLE}.unit ;;
  }

  dimension: direction {
    type: string
    description: "up, down or neutral: which change is good."
    sql: ${TABLE}.direction ;;
  }

  dimension_group: value {
    type: time
    timeframes: [raw, date, week, month]
    datatype: date
    convert_tz: no
    description: "Day of the value (the as-of date)."
    sql: ${TABLE}.value_date ;;
  }

  dimension: kpi_value {
    type: number
    description: "Value on value_date."
    sql: ${TABLE}.kpi_value ;;
  }

  dimension: value_7_days_before {
    type: number
    description: "Value 7 days earlier."
    sql: ${TABLE}.value_7_days_before ;;
  }

  dimension: value_30_days_before {
    type: number
    description: "Value 30 days earlier."
    sql: ${TABLE}.value_30_days_before ;;
  }

  dimension: change_7_days {
    type: number
    description: "kpi_value - value_7_days_before."
    sql: ${TABLE}.change_7_days ;;
  }

  dimension: change_30_days {
    type: number
    description: "kpi_value - value_30_days_before."
    sql: ${TABLE}.change_30_days ;;
  }

  dimension: is_7_day_change_good {
    type: yesno
    description: "Change in the good direction (null if neutral)."
    sql: ${TABLE}.is_7_day_change_good ;;
  }

  dimension: is_30_day_change_good {
    type: yesno
    description: "Same over 30 days."
    sql: ${TABLE}.is_30_day_change_good ;;
  }

  measure: count {
    type: count
  }

}
