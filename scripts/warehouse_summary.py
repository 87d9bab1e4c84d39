"""Print where the built marts are and what they say (the end of `make demo`).

TARGET=duckdb python scripts/warehouse_summary.py
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from loaders.targets import target_name
from scripts.warehouse import MART_SCHEMA, mart_row_counts, rows


def main(argv: Sequence[str] | None = None) -> int:
    try:
        target = target_name()
        counts = mart_row_counts(target)
        if not counts:
            raise LookupError(f"nothing is published in {MART_SCHEMA}")

        def section(mart: str, sql: str) -> list[tuple] | None:
            """The rows, or None when this deployment has no such mart (KPI_SOURCES)."""
            return rows(target, sql) if mart in counts else None

        outliers = section(
            "batch_duration_outliers",
            f"select run_date, client_name, round(cast(duration_minutes as numeric), 1), "
            f"round(cast(duration_vs_baseline_ratio as numeric), 1) "
            f"from {MART_SCHEMA}.batch_duration_outliers order by run_date desc limit 5",
        )
        stale = section(
            "batch_client_staleness",
            f"select client_name, days_since_last_run from {MART_SCHEMA}.batch_client_staleness "
            f"where is_stale order by days_since_last_run desc",
        )
        rejected = section(
            "batch_runs_rejected",
            f"select rejection_reason, count(*) from {MART_SCHEMA}.batch_runs_rejected "
            f"group by rejection_reason order by 1",
        )
        cards = section(
            "itsm_kpi_cards",
            f"select kpi_label, round(cast(kpi_value as numeric), 1), unit, "
            f"round(cast(change_7_days as numeric), 1), is_7_day_change_good "
            f"from {MART_SCHEMA}.itsm_kpi_cards where kpi_name in ("
            "'open_backlog', 'new_tickets', 'mttr_hours', 'pct_resolved_sla_breached', "
            "'late_tickets', 'interventions_planned') order by kpi_name",
        )
        queue = section(
            "itsm_audit_queue",
            f"select queue_date, round(cast(queue_rate_per_day as numeric), 1), "
            f"round(cast(capacity_per_day as numeric), 1), is_queue_outpacing_capacity "
            f"from {MART_SCHEMA}.itsm_audit_queue order by queue_date desc limit 1",
        )
        pirate = section(
            "metrics_pirate",
            f"select metric_date, new_users, sessions, sign_ups, activations, "
            f"round(cast(activation_rate as numeric), 3) from {MART_SCHEMA}.metrics_pirate "
            f"where channel = 'All channels' order by metric_date desc limit 3",
        )
        quality = section(
            "metrics_quality_of_service",
            f"select period_start, availability, request_count, "
            f"round(cast(latency_p95_seconds as numeric), 4) "
            f"from {MART_SCHEMA}.metrics_quality_of_service where period_grain = 'hour' "
            f"order by period_start desc limit 2",
        )
    except Exception as exc:  # one line that says what to do, not a traceback
        print(
            f"summary: cannot read the marts ({exc}); run make demo, or make load build",
            file=sys.stderr,
        )
        return 2
    where = (
        os.path.abspath(os.environ.get("KPI_DUCKDB_PATH", "warehouse.duckdb"))
        if target == "duckdb"
        else f"PostgreSQL database {os.environ.get('KPI_PG_DATABASE', 'kpi')}"
    )
    print(f"\nWarehouse ({target}): {where}, schema {MART_SCHEMA}")
    for name, count in counts.items():
        print(f"  {MART_SCHEMA}.{name:<28} {count:>8} rows")
    if outliers is not None:
        print(f"\nLatest duration outliers (of {counts.get('batch_duration_outliers', 0)}):")
        for run_date, client, minutes, ratio in outliers:
            print(f"  {run_date}  {client:<32} {minutes:>7} min  ({ratio}x usual)")
    if stale is not None:
        print(f"\nStale clients ({len(stale)}):")
        for client, days in stale:
            print(f"  {client:<32} last run {days} days ago")
    if rejected is not None:
        reasons = ", ".join(f"{r}={n}" for r, n in rejected) or "none"
        print(f"\nRejected raw batch runs: {reasons}")
    if cards is not None:
        print("\nIT support KPI cards (today, change over 7 days):")
        for label, value, unit, change, good in cards:
            verdict = {True: "better", False: "worse", None: ""}[good]
            print(f"  {label:<30} {value!s:>8} {unit:<16} {change!s:>7} {verdict}")
    for day, rate, capacity, outpacing in queue or []:
        state = "queue outpaces capacity" if outpacing else "capacity keeps up"
        print(f"  Audit queue {day}: {rate} new/day vs {capacity} closed/day ({state})")
    if pirate is not None:
        print("\nPirate metrics, all channels (day, new users, sessions, sign-ups, activations):")
        for day, new, sessions, signups, activations, rate in pirate:
            print(
                f"  {day}  {new:>7.0f} {sessions:>8.0f} {signups:>6.0f} {activations:>6.0f}  {rate}"
            )
    if quality is not None:
        print("\nQuality of service (hour, availability, requests, p95 latency s):")
        for hour, availability, requests, p95 in quality:
            print(f"  {hour}  {availability}  {requests}  {p95}")
    print(
        "\nExplore: make docs, then .venv/bin/dbt docs serve (http://localhost:8080); or open "
        "the warehouse with any DuckDB client."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
