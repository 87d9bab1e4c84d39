"""UTC everywhere, whatever the host's TZ, and a calendar that follows the data: a batch
and ITSM history from 2016 builds to identical marts under two far-apart time zones, and
its daily marts are filled."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from scripts.warehouse import row_differences
from tests.adoption.recipes import (
    ROOT,
    published_rows,
    published_tables,
    run_recipe,
    small_sample,
)

END = "2017-01-31"  # a real ServiceNow export's years: before any default calendar start
ZONES = ("Pacific/Kiritimati", "America/Los_Angeles")  # UTC+14 and UTC-8 (-7 in summer)
RECIPE = (
    "KPI_SOURCES=batch,itsm SOURCES__ITSM__INCIDENT_CSV=export.csv "
    "SOURCES__BATCH__CREDENTIALS=sqlite:///ops.sqlite make load build"
)


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, Path]:
    data = tmp_path_factory.mktemp("ops2016")
    small_sample(data, END, seed=3)
    out = {}
    for zone in ZONES:
        work = tmp_path_factory.mktemp(zone.replace("/", "_"))
        done = run_recipe(
            RECIPE,
            work,
            {"export.csv": str(data / "export.csv"), "ops.sqlite": str(data / "ops.sqlite")},
            TZ=zone,
            AS_OF_DATE=END,
        )
        out[zone] = work
        # the holiday seed covers 2025-2027 only: the build warns, naming the test
        assert "Warning in test warn_business_holidays_cover_ticket_years" in done.stdout
    return out


def test_marts_are_identical_under_two_far_apart_time_zones(builds):
    first, second = (builds[z] for z in ZONES)
    tables = published_tables(first)
    assert tables == published_tables(second) and "fct_itsm_ticket_days" in tables
    differ = {}
    for table in sorted(tables):
        sql = f"select * from analytics.{table}"
        found = row_differences(published_rows(first, sql), published_rows(second, sql))
        if found:
            differ[table] = found
    assert differ == {}


def test_data_from_2016_fill_the_daily_marts(builds):
    work = builds[ZONES[0]]
    count = lambda sql: published_rows(work, sql)[0][0]  # noqa: E731
    assert count("select min(snapshot_date) from analytics.fct_itsm_ticket_days") < dt.date(
        2017, 1, 1
    )
    assert count("select count(*) from analytics.itsm_kpi_cards") > 0
    assert count("select count(*) from analytics.itsm_kpis_daily where breakdown = 'all'") > 0
    assert (
        count("select count(*) from analytics.fct_itsm_tickets where business_hours_to_resolve > 0")
        > 0
    )
    assert count("select count(*) from analytics.fct_batch_runs") > 0


def test_today_is_the_utc_date_whatever_the_hosts_time_zone(tmp_path):
    """With no AS_OF_DATE, reports are as of now in UTC: dbt's as_of_date() on DuckDB gives
    the UTC date under UTC+14 and UTC-8 alike."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("AS_OF_DATE", "KPI_SOURCES")},
        "KPI_DUCKDB_PATH": str(tmp_path / "empty.duckdb"),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
        "KPI_SOURCES": "batch",
        "TARGET": "duckdb",
    }
    dbt = str(Path(os.sys.executable).with_name("dbt"))
    for zone in ZONES:
        before = dt.datetime.now(dt.UTC).date()
        shown = subprocess.run(
            [dbt, "show", "--inline", "select {{ as_of_date() }} as d", "--output", "json"],
            cwd=ROOT,
            env={**env, "TZ": zone},
            capture_output=True,
            text=True,
            timeout=300,
        )
        after = dt.datetime.now(dt.UTC).date()
        assert shown.returncode == 0, shown.stdout[-2000:]
        assert any(str(day) in shown.stdout for day in {before, after}), (zone, shown.stdout)
