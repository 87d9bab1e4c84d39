"""CI check, run with the Airflow virtualenv (make airflow-check): the DAG folder imports
without errors and the task graph is loads -> build/publish -> deprecation."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from airflow.dag_processing.dagbag import DagBag

DAGS = Path(__file__).parent / "dags"


def main() -> int:
    os.environ.setdefault("KPI_WAREHOUSE_DIR", str(Path(__file__).resolve().parents[2]))
    bag = DagBag(dag_folder=str(DAGS))
    assert not bag.import_errors, bag.import_errors
    dag = bag.dags.get("kpi_warehouse")
    assert dag is not None, f"no kpi_warehouse DAG in {sorted(bag.dag_ids)}"
    loads = sorted(t for t in dag.task_ids if t.startswith("load_"))
    assert loads == sorted(
        f"load_{s}" for s in ("batch", "itsm", "ga4", "prometheus", "appdb", "looker")
    )
    build = dag.get_task("dbt_build_and_publish")
    deprecation = dag.get_task("looker_deprecation")
    assert set(build.upstream_task_ids) == set(loads), build.upstream_task_ids
    assert deprecation.upstream_task_ids == {"dbt_build_and_publish"}
    assert all(dag.get_task(t).retries >= 3 for t in loads)
    assert "--apply" not in deprecation.bash_command, "dry run unless configured"
    assert dag.schedule in ("@hourly", os.environ.get("KPI_SCHEDULE")), dag.schedule
    for task in dag.tasks:
        assert task.cwd == os.environ["KPI_WAREHOUSE_DIR"], task.task_id
        assert "/.venv/bin/python -m " in task.bash_command, task.bash_command
    print(f"kpi_warehouse DAG: {len(dag.tasks)} tasks, {len(loads)} loads -> build -> deprecation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
