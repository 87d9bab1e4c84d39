"""Settings fail fast and by name: a wrong TARGET, AS_OF_DATE or KPI_SOURCES stops before
anything starts, and a misspelt KPI_* or SOURCES__* variable is named with the closest
known one instead of silently falling back to a default."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.settings import SettingError, check, check_source_settings, enabled_sources

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"TARGET": "postgress"}, "TARGET='postgress' is not a target"),
        ({"TARGET": "DuckDB"}, "TARGET='DuckDB' is not a target"),  # dbt's names are exact
        ({"AS_OF_DATE": "20261201"}, "AS_OF_DATE='20261201' is not a date"),
        ({"AS_OF_DATE": "31/12/2026"}, "AS_OF_DATE='31/12/2026' is not a date"),
        ({"KPI_SOURCES": "batch,servicenow"}, "KPI_SOURCES: unknown source(s) servicenow"),
        ({"KPI_PG_PORT": "54 32"}, "KPI_PG_PORT"),
    ],
)
def test_a_wrong_value_is_refused_by_its_name(env, named):
    with pytest.raises(SettingError) as refused:
        check(env)
    assert named in str(refused.value)


def test_misspelt_variables_are_named_with_the_closest_known_one():
    warnings = check({"KPI_DUCKDB_PAHT": "x.duckdb"})
    assert warnings == [
        "settings: KPI_DUCKDB_PAHT is not a kpi-warehouse setting and is ignored "
        "(did you mean KPI_DUCKDB_PATH?)"
    ]
    params = {"batch": ["credentials", "chunk_size"]}
    assert check_source_settings(params, {"SOURCES__BATCH__CREDENTIAL": "x"}) == [
        "settings: SOURCES__BATCH__CREDENTIAL is not read by any source and is ignored "
        "(did you mean SOURCES__BATCH__CREDENTIALS?)"
    ]
    assert check_source_settings(params, {"SOURCES__BATCH__CREDENTIALS__PASSWORD": "x"}) == []


def test_sources_default_to_all_and_follow_kpi_sources(monkeypatch):
    monkeypatch.delenv("KPI_SOURCES", raising=False)
    assert len(enabled_sources()) == 6
    monkeypatch.setenv("KPI_SOURCES", " ITSM, batch ")
    assert enabled_sources() == ["itsm", "batch"]


def run(command: list[str], **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("KPI_", "SOURCES__"))}
    return subprocess.run(
        command, cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=300
    )


def test_make_load_stops_on_a_wrong_target_before_any_server_starts(tmp_path):
    done = run(["make", "--no-print-directory", "load"], TARGET="postgress")
    assert done.returncode != 0
    assert "TARGET='postgress' is not a target" in done.stderr
    assert "did you mean TARGET=postgres?" in done.stderr
    assert "services:" not in done.stdout + done.stderr  # nothing was started


def test_make_build_stops_on_a_wrong_as_of_date_before_dbt(tmp_path):
    done = run(["make", "--no-print-directory", "build"], AS_OF_DATE="31/12/2026")
    assert done.returncode != 0
    assert "AS_OF_DATE='31/12/2026' is not a date: use YYYY-MM-DD" in done.stderr
    assert "Running with dbt" not in done.stdout


def test_a_missing_credential_is_one_line_naming_the_variable(tmp_path):
    done = run(
        [sys.executable, "-m", "loaders", "batch"],
        KPI_DUCKDB_PATH=str(tmp_path / "w.duckdb"),
        KPI_PIPELINES_DIR=str(tmp_path / "state"),
        SOURCES__BATCH__CREDENTIAL="sqlite:///ops.sqlite",
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines == [
        "settings: SOURCES__BATCH__CREDENTIAL is not read by any source and is ignored "
        "(did you mean SOURCES__BATCH__CREDENTIALS?)",
        "loaders: source batch: missing setting sources.batch.credentials: "
        "set SOURCES__BATCH__CREDENTIALS (or .dlt/secrets.toml)",
    ]


def test_make_load_with_own_sources_never_falls_back_to_demo_data(tmp_path):
    """A team naming its sources gets no demo credentials: a misspelt one is named."""
    done = run(
        ["make", "--no-print-directory", "load"],
        KPI_SOURCES="batch",
        KPI_DUCKDB_PATH=str(tmp_path / "w.duckdb"),
        KPI_PIPELINES_DIR=str(tmp_path / "state"),
        SOURCES__BATCH__CREDENTIAL="sqlite:///ops.sqlite",
    )
    assert done.returncode != 0
    assert "did you mean SOURCES__BATCH__CREDENTIALS?" in done.stderr
    assert "set SOURCES__BATCH__CREDENTIALS" in done.stderr
    assert "loaded" not in done.stdout


def test_whitespace_or_a_lone_comma_means_all_sources_everywhere(monkeypatch):
    for value in (" ", ",", " , "):
        monkeypatch.setenv("KPI_SOURCES", value)
        assert len(enabled_sources()) == 6


def test_dbt_refuses_an_unknown_source_name(tmp_path):
    dbt = str(Path(sys.executable).with_name("dbt"))
    done = run(
        [dbt, "run", "--select", "stg_batch__clients", "--target-path", str(tmp_path)],
        KPI_SOURCES="batch,servicenow",
        KPI_DUCKDB_PATH=str(tmp_path / "w.duckdb"),
        DBT_LOG_PATH=str(tmp_path),
    )
    assert done.returncode != 0
    assert "KPI_SOURCES: unknown source(s) servicenow" in done.stdout
