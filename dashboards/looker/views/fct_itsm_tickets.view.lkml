# LookML view over the published mart analytics.fct_itsm_tickets (column docs from its dbt YAML).
view: fct_itsm_tickets {
  sql_table_name: analytics.fct_itsm_tickets ;;

  dimension: ticket_number {
    primary_key: yes
    type: string
    description: "The ticket (ServiceNow `number`)."
    sql: ${TABLE}.ticket_number ;;
  }

  dimension: current_state {
    type: string
    description: "State after the latest accepted update."
    sql: ${TABLE}.current_state ;;
  }

  dimension: state_group {
    type: string
    description: "Group of the current state."
    sql: ${TABLE}.state_group ;;
  }

  dimension: is_open {
    type: yesno
    description: "The ticket is in an open state now."
    sql: ${TABLE}.is_open ;;
  }

  dimension: caller_id {
    type: string
    description: "Who reported it."
    sql: ${TABLE}.caller_id ;;
  }

  dimension: contact_type {
    type: string
    description: "Channel it came in through."
    sql: ${TABLE}.contact_type ;;
  }

  dimension: location {
    type: string
    description: "Site."
    sql: ${TABLE}.location ;;
  }

  dimension: category {
    type: string
    description: "Category."
    sql: ${TABLE}.category ;;
  }

  dimension: subcategory {
    type: string
    description: "Subcategory."
    sql: ${TABLE}.subcategory ;;
  }

  dimension: priority_code {
    type: string
    description: "Current priority code."
    sql: ${TABLE}.priority_code ;;
  }

  dimension: priority_label {
    type: string
    description: "Current priority label."
    sql: ${TABLE}.priority_label ;;
  }

  dimension: assignment_group {
    type: string
    description: "Current group."
    sql: ${TABLE}.assignment_group ;;
  }

  dimension: assigned_to {
    type: string
    description: "Current assignee."
    sql: ${TABLE}.assigned_to ;;
  }

  dimension: problem_id {
    type: string
    description: "Linked problem, if any."
    sql: ${TABLE}.problem_id ;;
  }

  dimension: reassignment_count {
    type: number
    description: "Reassignments in the ticket's life."
    sql: ${TABLE}.reassignment_count ;;
  }

  dimension: reopen_count {
    type: number
    description: "Reopenings in the ticket's life."
    sql: ${TABLE}.reopen_count ;;
  }

  dimension: is_sla_made_flag {
    type: yesno
    description: "The ITSM tool's latest made_sla flag."
    sql: ${TABLE}.is_sla_made_flag ;;
  }

  dimension: update_count {
    type: number
    description: "Accepted updates (effort proxy)."
    sql: ${TABLE}.update_count ;;
  }

  dimension: was_ever_awaiting {
    type: yesno
    description: "Was in an Awaiting state at some point."
    sql: ${TABLE}.was_ever_awaiting ;;
  }

  dimension: sla_hours {
    type: number
    description: "Resolve-within hours of the priority, calendar hours."
    sql: ${TABLE}.sla_hours ;;
  }

  dimension: workload_weight {
    type: number
    description: "Priority weight for open workload (seed)."
    sql: ${TABLE}.workload_weight ;;
  }

  dimension: is_high_priority {
    type: yesno
    description: "Critical or High."
    sql: ${TABLE}.is_high_priority ;;
  }

  dimension: is_critical {
    type: yesno
    description: "Critical."
    sql: ${TABLE}.is_critical ;;
  }

  dimension_group: opened {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "Opened, UTC."
    sql: ${TABLE}.opened_at ;;
  }

  dimension_group: first_assigned {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "First update with an assignee, UTC."
    sql: ${TABLE}.first_assigned_at ;;
  }

  dimension_group: resolved {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "Final resolution, UTC (null while open)."
    sql: ${TABLE}.resolved_at ;;
  }

  dimension_group: closed {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "Closure, UTC."
    sql: ${TABLE}.closed_at ;;
  }

  dimension_group: last_updated {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "Latest update, UTC."
    sql: ${TABLE}.last_updated_at ;;
  }

  dimension_group: sla_due {
    type: time
    timeframes: [raw, time, date, week, month]
    datatype: timestamp
    convert_tz: no
    description: "opened_at + sla_hours, UTC."
    sql: ${TABLE}.sla_due_at ;;
  }

  dimension: hours_to_resolve {
    type: number
    description: "resolved_at - opened_at, calendar hours."
    sql: ${TABLE}.hours_to_resolve ;;
  }

  dimension: business_hours_to_resolve {
    type: number
    sql: ${TABLE}.business_hours_to_resolve ;;
  }

  dimension: hours_to_first_assignment {
    type: number
    description: "first_assigned_at - opened_at, hours."
    sql: ${TABLE}.hours_to_first_assignment ;;
  }

  dimension: hours_to_close {
    type: number
    description: "closed_at - opened_at, calendar hours."
    sql: ${TABLE}.hours_to_close ;;
  }

  dimension: is_resolved {
    type: yesno
    description: "Has a final resolution."
    sql: ${TABLE}.is_resolved ;;
  }

  dimension: is_never_assigned {
    type: yesno
    description: "No update ever had an assignee."
    sql: ${TABLE}.is_never_assigned ;;
  }

  dimension: has_problem {
    type: yesno
    description: "Linked to a problem record."
    sql: ${TABLE}.has_problem ;;
  }

  dimension: is_sla_breached {
    type: yesno
    sql: ${TABLE}.is_sla_breached ;;
  }

  dimension: is_one_touch {
    type: yesno
    sql: ${TABLE}.is_one_touch ;;
  }

  measure: count {
    type: count
  }

  measure: average_hours_to_resolve {
    type: average
    sql: ${TABLE}.hours_to_resolve ;;
  }

  measure: average_business_hours_to_resolve {
    type: average
    sql: ${TABLE}.business_hours_to_resolve ;;
  }

}
