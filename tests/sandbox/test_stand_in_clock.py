"""The stand-ins answer from the run's as-of moment (AS_OF_DATE), not the wall clock: two
loads a few seconds apart with the same as-of date land identical rows, so the DuckDB and the
PostgreSQL loads of `make test` (minutes apart) see the same data."""

from __future__ import annotations

import datetime as dt
import hashlib
import time

import dlt
import pytest

from loaders.ga4 import ga4_source
from loaders.looker import looker_source
from sandbox.clock import as_of_moment
from sandbox.ga4_server import Ga4Server
from sandbox.looker_server import LookerServer

AS_OF = "2026-03-10"
REPORTS = [
    {
        "name": "traffic",
        "dimensions": ["dateHour", "sessionDefaultChannelGroup"],
        "metrics": ["sessions", "engagementRate"],
    },
    {"name": "events", "dimensions": ["date", "eventName"], "metrics": ["eventCount"]},
]


def table_digests(pipeline: dlt.Pipeline) -> dict[str, tuple[int, str]]:
    """Rows and an md5 of every column of every data table (dlt's own ids and load ids
    left out: they differ per load by design)."""
    out = {}
    with pipeline.sql_client() as client:
        schema = pipeline.default_schema
        for table in schema.data_table_names():
            columns = [c for c in schema.get_table_columns(table) if not c.startswith("_dlt")]
            result = client.execute_sql(
                f"select {', '.join(columns)} from {client.make_qualified_table_name(table)}"
            )
            lines = sorted("|".join(map(str, row)) for row in result)
            out[table] = (len(lines), hashlib.md5("\n".join(lines).encode()).hexdigest())
    return out


def load_once(tmp_path, name: str, monkeypatch) -> dict[str, dict]:
    digests = {}
    with LookerServer() as looker, Ga4Server() as ga4:
        for key, value in looker.env().items():
            monkeypatch.setenv(key, value)
        for source_name, source in (
            ("looker", looker_source()),
            (
                "ga4",
                ga4_source(
                    property_id="42",
                    reports=REPORTS,
                    api_endpoint=ga4.host,
                    url_scheme="http",
                    start_date="2026-02-20",
                ),
            ),
        ):
            pipeline = dlt.pipeline(
                pipeline_name=f"clock_{source_name}_{name}",
                pipelines_dir=str(tmp_path / name / "state"),
                destination=dlt.destinations.duckdb(str(tmp_path / name / f"{source_name}.duckdb")),
                dataset_name=f"raw_{source_name}",
            )
            pipeline.run(source)
            digests[source_name] = table_digests(pipeline)
        assert looker.stand_in.problems == []
    return digests


def test_as_of_moment_is_the_end_of_the_pinned_day(monkeypatch):
    monkeypatch.setenv("AS_OF_DATE", AS_OF)
    assert as_of_moment() == dt.datetime(2026, 3, 10, 23, 59, 59)
    monkeypatch.setenv("AS_OF_DATE", "10/03/2026")
    with pytest.raises(ValueError, match="AS_OF_DATE"):
        as_of_moment()


def test_two_loads_seconds_apart_with_one_as_of_date_land_identical_rows(tmp_path, monkeypatch):
    monkeypatch.setenv("AS_OF_DATE", AS_OF)
    first = load_once(tmp_path, "first", monkeypatch)
    time.sleep(3)
    second = load_once(tmp_path, "second", monkeypatch)
    assert first == second
    assert first["looker"]["history"][0] > 0 and first["ga4"]["traffic"][0] > 0
    # the pinned day is served whole (all 24 hours), none after it
    traffic_days = (first["ga4"]["traffic"][0]) // 6  # six channels
    assert traffic_days == 19 * 24  # 2026-02-20 .. 2026-03-10
