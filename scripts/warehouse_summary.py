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
        outliers = rows(
            target,
            f"select run_date, client_name, round(cast(duration_minutes as numeric), 1), "
            f"round(cast(duration_vs_baseline_ratio as numeric), 1) "
            f"from {MART_SCHEMA}.batch_duration_outliers order by run_date desc limit 5",
        )
        stale = rows(
            target,
            f"select client_name, days_since_last_run from {MART_SCHEMA}.batch_client_staleness "
            f"where is_stale order by days_since_last_run desc",
        )
        rejected = rows(
            target,
            f"select rejection_reason, count(*) from {MART_SCHEMA}.batch_runs_rejected "
            f"group by rejection_reason order by 1",
        )
    except Exception as exc:  # one line that says what to do, not a traceback
        print(f"summary: cannot read the marts ({exc}); run make demo first", file=sys.stderr)
        return 2
    where = (
        os.path.abspath(os.environ.get("KPI_DUCKDB_PATH", "warehouse.duckdb"))
        if target == "duckdb"
        else f"PostgreSQL database {os.environ.get('KPI_PG_DATABASE', 'kpi')}"
    )
    print(f"\nWarehouse ({target}): {where}, schema {MART_SCHEMA}")
    for name, count in counts.items():
        print(f"  {MART_SCHEMA}.{name:<28} {count:>8} rows")
    print(f"\nLatest duration outliers (of {counts.get('batch_duration_outliers', 0)}):")
    for run_date, client, minutes, ratio in outliers:
        print(f"  {run_date}  {client:<32} {minutes:>7} min  ({ratio}x usual)")
    print(f"\nStale clients ({len(stale)}):")
    for client, days in stale:
        print(f"  {client:<32} last run {days} days ago")
    print("\nRejected raw batch runs: " + (", ".join(f"{r}={n}" for r, n in rejected) or "none"))
    print("\nExplore: make docs (dbt docs site), or open the warehouse with any DuckDB client.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
