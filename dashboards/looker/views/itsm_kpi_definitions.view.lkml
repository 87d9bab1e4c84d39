# LookML view over the published mart analytics.itsm_kpi_definitions (column docs from its dbt YAML).
view: itsm_kpi_definitions {
  sql_table_name: analytics.itsm_kpi_definitions ;;

  dimension: kpi_name {
    primary_key: yes
    type: string
    sql: ${TABLE}.kpi_name ;;
  }

  dimension: kpi_label {
    type: string
    sql: ${TABLE}.kpi_label ;;
  }

  dimension: definition {
    type: string
    sql: ${TABLE}.definition ;;
  }

  dimension: formula {
    type: string
    sql: ${TABLE}.formula ;;
  }

  dimension: unit {
    type: string
    sql: ${TABLE}.unit ;;
  }

  dimension: grain {
    type: string
    sql: ${TABLE}.grain ;;
  }

  dimension: aggregation {
    type: string
    sql: ${TABLE}.aggregation ;;
  }

  dimension: scale {
    type: number
    sql: ${TABLE}.scale ;;
  }

  dimension: direction {
    type: string
    sql: ${TABLE}.direction ;;
  }

  dimension: owner {
    type: string
    sql: ${TABLE}.owner ;;
  }

  measure: count {
    type: count
  }

}
