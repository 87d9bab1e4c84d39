# The kpi-warehouse marts in Looker. `kpi_warehouse` is a Looker connection to the
# PostgreSQL warehouse that logs in as the read-only role (KPI_REPORTING_ROLE, SELECT on
# schema analytics only): Admin > Connections, database = KPI_PG_DATABASE.
connection: "kpi_warehouse"

include: "/views/*.view.lkml"

datagroup: nightly_build {
  sql_trigger: select max(queue_date) from analytics.itsm_audit_queue ;;
  max_cache_age: "24 hours"
}

persist_with: nightly_build

explore: fct_batch_runs {
  label: "Batch runs"
  description: "Every accepted nightly batch run with its baseline and outlier flag."
  join: dim_batch_clients {
    type: left_outer
    relationship: many_to_one
    sql_on: ${fct_batch_runs.client_id} = ${dim_batch_clients.client_id} ;;
  }
  join: batch_client_staleness {
    type: left_outer
    relationship: many_to_one
    sql_on: ${fct_batch_runs.client_id} = ${batch_client_staleness.client_id} ;;
  }
}

explore: batch_duration_outliers {
  label: "Batch duration outliers"
}

explore: batch_client_monthly {
  label: "Batch clients by month"
  join: dim_batch_clients {
    type: left_outer
    relationship: many_to_one
    sql_on: ${batch_client_monthly.client_id} = ${dim_batch_clients.client_id} ;;
  }
}

explore: fct_itsm_tickets {
  label: "ITSM tickets"
}

explore: itsm_kpis_daily {
  label: "ITSM KPIs by day"
  join: itsm_kpi_definitions {
    type: left_outer
    relationship: many_to_one
    sql_on: ${itsm_kpis_daily.kpi_name} = ${itsm_kpi_definitions.kpi_name} ;;
  }
}

explore: itsm_kpi_cards {
  label: "ITSM KPI cards"
}

explore: metrics_pirate {
  label: "Pirate metrics"
}

explore: metrics_quality_of_service {
  label: "Quality of service"
}

explore: fct_metric_values_daily {
  label: "Metric values by day"
}

explore: bi_deprecation_candidates {
  label: "BI deprecation candidates"
}

explore: bi_content_usage {
  label: "BI content usage"
}
