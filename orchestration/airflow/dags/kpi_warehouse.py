"""kpi-warehouse in Airflow: load each source (one retried task per source), then build,
test and publish the marts, then the Looker deprecation job.

Settings (environment of the Airflow workers, or Airflow Variables of the same name):
- KPI_WAREHOUSE_DIR: the checkout, with its .venv made by `make setup` (required)
- KPI_SCHEDULE: cron expression or preset (default "@hourly")
- TARGET: duckdb or postgres (default postgres); KPI_PG_* and SOURCES__* as for `make load`
- KPI_SOURCES: comma-separated sources to load (default: all of loaders.SOURCES)
- KPI_DEPRECATION_APPLY: "true" to let the deprecation job act (default: dry run)

The tasks run the same commands as cron (README, "Scheduling"), in the project's own
virtualenv, so Airflow's pins never constrain the project's.
"""

from __future__ import annotations

import datetime as dt
import os

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Variable

SOURCES = ("batch", "itsm", "ga4", "prometheus", "appdb", "looker")


def setting(name: str, default: str | None = None) -> str:
    value = os.environ.get(name) or Variable.get(name, default=None) or default
    if value is None:
        raise ValueError(f"kpi_warehouse DAG: set {name} (environment or Airflow Variable)")
    return value


WAREHOUSE_DIR = setting("KPI_WAREHOUSE_DIR")
TARGET = setting("TARGET", "postgres")
PYTHON = f"{WAREHOUSE_DIR}/.venv/bin/python"
APPLY = setting("KPI_DEPRECATION_APPLY", "false").lower() == "true"
SOURCES_TO_LOAD = [s.strip() for s in setting("KPI_SOURCES", ",".join(SOURCES)).split(",")]
unknown = sorted(set(SOURCES_TO_LOAD) - set(SOURCES))
if unknown:
    raise ValueError(f"kpi_warehouse DAG: KPI_SOURCES has unknown {unknown}; known {SOURCES}")

with DAG(
    dag_id="kpi_warehouse",
    description="load every source, dbt build + publish, Looker deprecation job",
    schedule=setting("KPI_SCHEDULE", "@hourly"),
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    max_active_runs=1,  # DuckDB allows one writer; loads and builds never overlap
    default_args={"cwd": WAREHOUSE_DIR, "env": {"TARGET": TARGET}, "append_env": True},
    tags=["kpi-warehouse"],
) as dag:
    loads = [
        BashOperator(
            task_id=f"load_{source}",
            bash_command=f"{PYTHON} -m loaders {source}",
            retries=3,
            retry_delay=dt.timedelta(minutes=5),
            retry_exponential_backoff=True,
        )
        for source in SOURCES_TO_LOAD
    ]
    build = BashOperator(
        task_id="dbt_build_and_publish",
        bash_command=f"{PYTHON} -m scripts.publish",
        retries=1,
        retry_delay=dt.timedelta(minutes=10),
    )
    # exit 1 means "acted or would act", which is success here; 2 is a failure
    deprecation = BashOperator(
        task_id="looker_deprecation",
        bash_command=(
            f"{PYTHON} -m scripts.deprecate_looker_content{' --apply' if APPLY else ''}"
            " || test $? -eq 1"
        ),
    )
    loads >> build >> deprecation
