"""The itsm loader: from a real PostgreSQL ITSM database and from a ServiceNow CSV export."""

from __future__ import annotations

import datetime as dt
import random

import dlt
import pytest
import sqlalchemy as sa

from loaders.__main__ import main
from loaders.itsm import itsm_source
from loaders.itsm.servicenow_csv import CsvExportError, read_servicenow_csv
from scripts.generate_sample_data import write_tables
from scripts.sample_itsm import INCIDENT, make_itsm, write_servicenow_csv

END = dt.date(2026, 3, 31)


@pytest.fixture(scope="module")
def itsm_tables():
    tables, manifest = make_itsm(random.Random(5), END, tickets=150, days=30)
    return tables, manifest


@pytest.fixture
def itsm_db(pg_database, itsm_tables) -> str:
    write_tables(pg_database, itsm_tables[0])
    return pg_database


@pytest.fixture
def pipeline(tmp_path) -> dlt.Pipeline:
    return dlt.pipeline(
        pipeline_name="test_itsm",
        pipelines_dir=str(tmp_path / "state"),
        destination=dlt.destinations.duckdb(str(tmp_path / "raw.duckdb")),
        dataset_name="raw_itsm",
    )


def warehouse(pipeline: dlt.Pipeline, sql: str) -> list[tuple]:
    with pipeline.sql_client() as client:
        return [tuple(r) for r in client.execute_sql(sql)]


def loaded_rows(info) -> dict[str, int]:
    return info.pipeline.last_trace.last_normalize_info.row_counts


EVENT_COUNTS = "select count(*), count(distinct _event_key) from incident"


@pytest.mark.fault(
    "rerun",
    "itsm loader (database) run again on the same data",
    "no duplicates, bad rows kept for dbt",
)
def test_database_load_is_idempotent_and_keeps_bad_rows(pipeline, itsm_db, itsm_tables):
    events = len(itsm_tables[0][INCIDENT])
    for _ in range(3):
        pipeline.run(itsm_source(credentials=itsm_db))
    # one exact duplicate event: both copies land (rejected later in dbt), never more
    assert warehouse(pipeline, EVENT_COUNTS) == [(events, events - 1)]
    assert warehouse(pipeline, "select count(*) from incident where number is null") == [(1,)]
    assert warehouse(pipeline, "select count(*) from sla_definition") == [(4,)]
    interventions = len(itsm_tables[0][next(t for t in itsm_tables[0] if t.name == "intervention")])
    assert warehouse(pipeline, "select count(*) from intervention") == [(interventions,)]


def test_database_rerun_takes_only_new_updates(pipeline, itsm_db, itsm_tables):
    pipeline.run(itsm_source(credentials=itsm_db))
    engine = sa.create_engine(itsm_db)
    later = dt.datetime(2026, 4, 2, 9, 0)
    with engine.begin() as conn:
        number, last_seq, opened = conn.execute(
            sa.text(
                "select number, max(sys_mod_count), min(opened_at) from incident "
                "where number = 'INC0000001' group by number"
            )
        ).one()
        conn.execute(
            sa.text(
                "insert into incident (number, incident_state, sys_mod_count, priority, "
                "opened_at, sys_updated_at) values (:n, 'Active', :s, '3 - Moderate', :o, :t)"
            ),
            {"n": number, "s": last_seq + 1, "o": opened, "t": later},
        )
    info = pipeline.run(itsm_source(credentials=itsm_db))
    assert loaded_rows(info).get("incident") == 1
    assert warehouse(
        pipeline,
        f"select incident_state from incident where number = '{number}' "
        f"and sys_mod_count = {last_seq + 1}",
    ) == [("Active",)]


@pytest.mark.fault(
    "rerun", "itsm loader (CSV export) run again on the same file", "same rows as the database"
)
def test_csv_export_loads_the_same_rows_idempotently(pipeline, itsm_tables, tmp_path):
    csv_path = tmp_path / "incident.csv"
    write_servicenow_csv(csv_path, itsm_tables[0][INCIDENT])
    for _ in range(3):
        pipeline.run(itsm_source(incident_csv=str(csv_path)))
    events = len(itsm_tables[0][INCIDENT])
    assert warehouse(pipeline, EVENT_COUNTS) == [(events, events - 1)]
    first = itsm_tables[0][INCIDENT][0]
    assert (
        warehouse(
            pipeline,
            f"select opened_at from incident where number = '{first['number']}' "
            "and sys_mod_count = 0",
        )[0][0].replace(tzinfo=None)
        == first["opened_at"]
    )


def test_csv_rerun_with_a_longer_export_takes_only_new_rows(pipeline, itsm_tables, tmp_path):
    events = sorted(itsm_tables[0][INCIDENT], key=lambda e: e["sys_updated_at"])
    csv_path = tmp_path / "incident.csv"
    write_servicenow_csv(csv_path, events[:-10])
    pipeline.run(itsm_source(incident_csv=str(csv_path)))
    write_servicenow_csv(csv_path, events)
    info = pipeline.run(itsm_source(incident_csv=str(csv_path)))
    assert 10 <= loaded_rows(info)["incident"] <= 11  # the boundary row may come again
    assert warehouse(pipeline, "select count(*) from incident") == [(len(events),)]


HEADER = "number,incident_state,sys_mod_count,opened_at,sys_updated_at,active\n"


@pytest.mark.fault(
    "bad input",
    "itsm CSV: day-first and ambiguous dates",
    "detected, or refused asking for the setting",
)
@pytest.mark.fault(
    "bad input",
    "itsm CSV: wrong types (text in a number/date column)",
    "stops naming line, column and value",
)
@pytest.mark.parametrize(
    ("rows", "setting", "expected"),
    [
        ("INC1,New,0,13/2/2026 10:00,13/2/2026 10:05:30,true\n", "auto", (2, 13)),
        ("INC1,New,0,2/13/2026 10:00,2/13/2026 10:05:30,true\n", "auto", (2, 13)),
        ("INC1,New,0,2026-02-13 10:00,2026-02-13T10:05:30,true\n", "auto", (2, 13)),
        ("INC1,New,0,2/3/2026 10:00,2/3/2026 10:05,true\n", "dayfirst", (3, 2)),
        ("INC1,New,0,2/3/2026 10:00,2/3/2026 10:05,true\n", "monthfirst", (2, 3)),
    ],
)
def test_csv_timestamp_formats_are_detected_or_set(tmp_path, rows, setting, expected):
    path = tmp_path / "x.csv"
    path.write_text(HEADER + rows)
    table = read_servicenow_csv(path, setting)
    opened = table.column("opened_at")[0].as_py()
    assert (opened.month, opened.day) == expected
    assert table.column("sys_updated_at")[0].as_py().minute == 5


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("INC1,New,0,2/3/2026 10:00,2/3/2026 10:05,true\n", "cannot tell day-first"),
        (
            "INC1,New,0,13/2/2026 10:00,2/13/2026 10:00,true\n",
            "both day-first and month-first",
        ),
        ("INC1,New,0,yesterday,13/2/2026 10:00,true\n", "'yesterday' is neither ISO"),
        ("INC1,New,x,13/2/2026 10:00,13/2/2026 10:00,true\n", "line 2, column sys_mod_count"),
        ("INC1,New,0,13/2/2026 10:00,13/2/2026 10:00,maybe\n", "line 2, column active"),
        ("INC1,New,0,31/2/2026 10:00,13/2/2026 10:00,true\n", "line 2, column opened_at"),
    ],
)
def test_bad_csv_values_are_named_with_line_and_column(tmp_path, rows, message):
    path = tmp_path / "x.csv"
    path.write_text(HEADER + rows)
    with pytest.raises(CsvExportError, match=message.replace("(", r"\(")):
        read_servicenow_csv(path)


@pytest.mark.fault(
    "bad input",
    'itsm CSV: empty file, no header, "?" placeholders',
    "named; placeholders become null",
)
def test_placeholders_become_null_and_empty_or_headless_files_are_named(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(HEADER + "INC1,New,?,13/2/2026 10:00,13/2/2026 10:00,?\n")
    table = read_servicenow_csv(path)
    assert table.column("sys_mod_count")[0].as_py() is None
    assert table.column("active")[0].as_py() is None
    path.write_text("")
    with pytest.raises(CsvExportError, match="the file is empty"):
        read_servicenow_csv(path)
    path.write_text("number,opened_at\nINC1,13/2/2026 10:00\n")
    with pytest.raises(CsvExportError, match="missing column"):
        read_servicenow_csv(path)
    with pytest.raises(CsvExportError, match="csv_timestamp_format must be one of"):
        read_servicenow_csv(path, "julian")


def test_cli_names_the_missing_itsm_settings(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KPI_DUCKDB_PATH", str(tmp_path / "wh.duckdb"))
    monkeypatch.setenv("KPI_PIPELINES_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("SOURCES__ITSM__CREDENTIALS", raising=False)
    monkeypatch.delenv("SOURCES__ITSM__INCIDENT_CSV", raising=False)
    assert main(["itsm"]) == 2
    err = capsys.readouterr().err
    assert "SOURCES__ITSM__CREDENTIALS" in err and "SOURCES__ITSM__INCIDENT_CSV" in err
    monkeypatch.setenv("SOURCES__ITSM__INCIDENT_CSV", str(tmp_path / "nope.csv"))
    assert main(["itsm"]) == 2
    assert "sources.itsm.incident_csv: no file at" in capsys.readouterr().err
