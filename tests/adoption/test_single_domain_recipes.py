"""The README's recipes for a team bringing one source of its own, run as written: each
loads, builds and publishes that domain's marts, and the other domains are absent (not
failed). Sample data stand in for the team's own systems."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest

from scripts.generate_sample_data import generate
from tests.adoption.recipes import (
    AS_OF,
    ROOT,
    published_rows,
    published_tables,
    run_recipe,
    small_sample,
)

README = (ROOT / "README.md").read_text()

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
        "batch_status_words",
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
    return small_sample(tmp_path_factory.mktemp("ops"), AS_OF, seed=5)


def count(work: Path, table: str) -> int:
    return published_rows(work, f"select count(*) from analytics.{table}")[0][0]


def readme_recipe(recipe: str, work: Path, substitutions: dict[str, str], **env: str) -> None:
    assert recipe in README, f"the README no longer shows: {recipe}"
    run_recipe(recipe, work, substitutions, **env)


def test_only_a_servicenow_csv_export(sample, tmp_path):
    readme_recipe(ITSM, tmp_path, {"export.csv": str(sample["csv"])})
    assert published_tables(tmp_path) == DOMAIN_MARTS["itsm"]
    assert count(tmp_path, "itsm_kpis_daily") > 0 and count(tmp_path, "fct_itsm_tickets") > 0
    assert count(tmp_path, "itsm_interventions_calendar") == 0  # the export has none


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
    readme_recipe(BATCH, tmp_path, {url: pg_database})
    assert published_tables(tmp_path) == DOMAIN_MARTS["batch"]
    assert count(tmp_path, "fct_batch_runs") > 0


def test_only_batch_runs_on_a_postgresql_warehouse(sample, pg_database, tmp_path):
    """The same recipe with TARGET=postgres: the warehouse is a fresh PostgreSQL database."""
    url = "postgresql://user:password@dbhost:5432/ops"
    warehouse = pg_database.rsplit("/", 1)[1]
    readme_recipe(
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
    readme_recipe(LOOKER, tmp_path, {})  # LOAD_SANDBOX=1: the spec-checked Looker stand-in
    assert published_tables(tmp_path) == DOMAIN_MARTS["looker"]
    assert count(tmp_path, "bi_deprecation_candidates") > 0


def test_only_product_and_service_metrics(sample, tmp_path):
    readme_recipe(METRICS, tmp_path, {"sqlite:///app.sqlite": f"sqlite:///{sample['sqlite']}"})
    assert published_tables(tmp_path) == DOMAIN_MARTS["metrics"]
    assert count(tmp_path, "metrics_pirate") > 0


def test_every_recipe_in_the_readme_is_tried():
    shown = set(re.findall(r"^KPI_SOURCES=\S+ .*make load build$", README, re.M))
    assert shown <= {BATCH, ITSM, LOOKER, METRICS} and len(shown) >= 3


def test_a_plain_dbt_build_says_it_did_not_publish_and_make_build_does(sample, tmp_path):
    """The card's path: `make load && make build` publishes; a bare `dbt build` builds and
    tests in analytics_build, leaves analytics as it was and says what to run."""
    recipe = f"KPI_SOURCES=batch SOURCES__BATCH__CREDENTIALS=sqlite:///{sample['sqlite']}"
    loaded = run_recipe(f"{recipe} make load", tmp_path, {}, check=False)
    assert loaded.returncode == 0, loaded.stderr[-3000:]
    dbt = str(Path(sys.executable).with_name("dbt"))
    done = subprocess.run(
        [dbt, "build", "--vars", f"{{as_of_date: '{AS_OF}'}}"],
        cwd=ROOT,
        env={
            **os.environ,
            "KPI_SOURCES": "batch",
            "KPI_DUCKDB_PATH": str(tmp_path / "warehouse.duckdb"),
            "DBT_TARGET_PATH": str(tmp_path / "target"),
            "DBT_LOG_PATH": str(tmp_path / "logs"),
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert "readers' schema analytics is unchanged. To publish, run `make build`" in done.stdout
    assert published_tables(tmp_path) == set()
    run_recipe(f"{recipe} make build", tmp_path, {})
    assert published_tables(tmp_path) == DOMAIN_MARTS["batch"]


def test_make_build_before_make_load_names_the_sources_to_load(tmp_path):
    import duckdb

    duckdb.connect(str(tmp_path / "warehouse.duckdb")).close()  # an empty warehouse
    done = run_recipe("KPI_SOURCES=batch,looker make build", tmp_path, {}, check=False)
    assert done.returncode != 0
    assert "no raw data for batch, looker (schemas raw_batch, raw_looker): run make load" in (
        done.stderr
    )
    assert "Running with dbt" not in done.stdout
