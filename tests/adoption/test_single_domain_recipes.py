"""The README's recipes for a team bringing one source of its own, run as written: each
loads, builds and publishes that domain's marts, and the other domains are absent (not
failed). Sample data stand in for the team's own systems."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import duckdb
import psycopg2
import pytest

from scripts.generate_sample_data import generate

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
AS_OF = os.environ.get("AS_OF_DATE") or dt.datetime.now(dt.UTC).date().isoformat()

# (recipe command as the README prints it, marts that domain publishes)
BATCH = "KPI_SOURCES=batch SOURCES__BATCH__CREDENTIALS=postgresql://user:password@dbhost:5432/ops make load build"  # noqa: E501
ITSM = "KPI_SOURCES=itsm SOURCES__ITSM__INCIDENT_CSV=export.csv make load build"
LOOKER = "KPI_SOURCES=looker make load build"
METRICS = "KPI_SOURCES=ga4,prometheus,appdb SOURCES__APPDB__CREDENTIALS=sqlite:///app.sqlite make load build"  # noqa: E501
DOMAIN_MARTS = {
    "batch": {
        "fct_batch_runs",
        "dim_batch_clients",
        "batch_client_monthly",
        "batch_client_staleness",
        "batch_duration_outliers",
        "batch_runs_rejected",
        "batch_run_statuses",
    },
    "itsm": {
        "fct_itsm_tickets",
        "fct_itsm_ticket_days",
        "fct_itsm_ticket_events",
        "itsm_kpis_daily",
        "itsm_kpi_cards",
        "itsm_audit_queue",
        "itsm_events_rejected",
        "itsm_interventions_calendar",
        "itsm_kpi_definitions",
        "itsm_priorities",
        "itsm_states",
        "business_calendar",
        "business_holidays",
    },
    "looker": {
        "bi_content_usage",
        "bi_deprecation_candidates",
        "bi_visual_last_access",
        "bi_exemptions",
    },
    "metrics": {
        "fct_metric_values_hourly",
        "fct_metric_values_daily",
        "metric_values_rejected",
        "metrics_pirate",
        "metrics_quality_of_service",
        "metric_definitions",
    },
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict[str, Path]:
    """A small operations database and its ServiceNow CSV export, ending on the as-of date."""
    where = tmp_path_factory.mktemp("ops")
    generate(
        f"sqlite:///{where / 'ops.sqlite'}",
        where / "manifest.json",
        seed=5,
        end_date=dt.date.fromisoformat(AS_OF),
        clients=12,
        tickets=300,
        itsm_csv=where / "export.csv",
    )
    return {"sqlite": where / "ops.sqlite", "csv": where / "export.csv"}


def run_recipe(recipe: str, work: Path, substitutions: dict[str, str], **env: str) -> None:
    """Run a README recipe line in the checkout with its placeholders substituted; the
    warehouse, loader state and dbt artefacts go to `work`."""
    assert recipe in README, f"the README no longer shows: {recipe}"
    for placeholder, value in substitutions.items():
        recipe = recipe.replace(placeholder, value)
    words = recipe.split()
    settings, targets = words[: words.index("make")], words[words.index("make") + 1 :]
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SOURCES__", "KPI_", "LOOKERSDK_", "MAKE", "MFLAGS"))
    }
    full_env = {
        **inherited,
        "KPI_DUCKDB_PATH": str(work / "warehouse.duckdb"),
        "KPI_PIPELINES_DIR": str(work / "pipelines"),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "AS_OF_DATE": AS_OF,
        **env,
        **dict(s.split("=", 1) for s in settings),
    }
    done = subprocess.run(
        ["make", "--no-print-directory", *targets],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, (done.stdout[-4000:], done.stderr[-4000:])
    assert "ERROR=0" in done.stdout and "published to analytics" in done.stdout


def published_duckdb(work: Path) -> set[str]:
    con = duckdb.connect(str(work / "warehouse.duckdb"), read_only=True)
    try:
        found = con.execute(
            "select table_name from information_schema.tables where table_schema = 'analytics'"
        ).fetchall()
        return {name for (name,) in found}
    finally:
        con.close()


def rows_in(work: Path, table: str) -> int:
    con = duckdb.connect(str(work / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(f"select count(*) from analytics.{table}").fetchone()[0]
    finally:
        con.close()


def test_only_a_servicenow_csv_export(sample, tmp_path):
    run_recipe(ITSM, tmp_path, {"export.csv": str(sample["csv"])})
    assert published_duckdb(tmp_path) == DOMAIN_MARTS["itsm"]
    assert rows_in(tmp_path, "itsm_kpis_daily") > 0 and rows_in(tmp_path, "fct_itsm_tickets") > 0
    assert rows_in(tmp_path, "itsm_interventions_calendar") == 0  # the export has none


def test_only_batch_runs_in_postgresql(sample, pg_database, tmp_path):
    generate(
        pg_database,
        tmp_path / "manifest.json",
        seed=6,
        end_date=dt.date.fromisoformat(AS_OF),
        clients=12,
        tickets=50,
        itsm_csv=None,
    )
    url = "postgresql://user:password@dbhost:5432/ops"
    run_recipe(BATCH, tmp_path, {url: pg_database})
    assert published_duckdb(tmp_path) == DOMAIN_MARTS["batch"]
    assert rows_in(tmp_path, "fct_batch_runs") > 0


def test_only_batch_runs_on_a_postgresql_warehouse(sample, pg_database, tmp_path):
    """The same recipe with TARGET=postgres: the warehouse is a fresh PostgreSQL database."""
    url = "postgresql://user:password@dbhost:5432/ops"
    warehouse = pg_database.rsplit("/", 1)[1]
    run_recipe(
        BATCH,
        tmp_path,
        {url: f"sqlite:///{sample['sqlite']}"},
        TARGET="postgres",
        KPI_PG_DATABASE=warehouse,
    )
    conn = psycopg2.connect(pg_database)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "select table_name from information_schema.tables where table_schema = 'analytics'"
            )
            assert {name for (name,) in cur.fetchall()} == DOMAIN_MARTS["batch"]
            cur.execute(
                "select schema_name from information_schema.schemata "
                "where schema_name ~ '^raw_' and schema_name !~ '_staging$'"
            )
            assert [s for (s,) in cur.fetchall()] == ["raw_batch"]
    finally:
        conn.close()


def test_only_looker(tmp_path):
    run_recipe(LOOKER, tmp_path, {})  # LOAD_SANDBOX=1: the spec-checked Looker stand-in
    assert published_duckdb(tmp_path) == DOMAIN_MARTS["looker"]
    assert rows_in(tmp_path, "bi_deprecation_candidates") > 0


def test_only_product_and_service_metrics(sample, tmp_path):
    run_recipe(METRICS, tmp_path, {"sqlite:///app.sqlite": f"sqlite:///{sample['sqlite']}"})
    assert published_duckdb(tmp_path) == DOMAIN_MARTS["metrics"]
    assert rows_in(tmp_path, "metrics_pirate") > 0


def test_every_recipe_in_the_readme_is_tried():
    shown = set(re.findall(r"^KPI_SOURCES=\S+ .*make load build$", README, re.M))
    assert shown <= {BATCH, ITSM, LOOKER, METRICS} and len(shown) >= 3
