"""The appdb loader counts rows of application tables in a real PostgreSQL database."""

import random

import dlt
import pytest

from loaders.appdb import appdb_source
from scripts.generate_sample_data import make_app_tables, write_tables


def test_counts_each_table_once_per_hour(pg_database, tmp_path):
    import datetime as dt

    tables = make_app_tables(random.Random(1), dt.date(2026, 3, 31), users=300)
    write_tables(pg_database, tables)
    pipeline = dlt.pipeline(
        pipeline_name="test_appdb",
        pipelines_dir=str(tmp_path / "state"),
        destination=dlt.destinations.duckdb(str(tmp_path / "raw.duckdb")),
        dataset_name="raw_appdb",
    )
    for _ in range(3):  # same hour: the count is replaced, not repeated
        pipeline.run(appdb_source(credentials=pg_database))
    with pipeline.sql_client() as client:
        counts = dict(client.execute_sql("select table_name, row_count from table_counts"))
    assert counts == {table.name: len(rows) for table, rows in tables.items()}


def test_missing_tables_are_named(pg_database):
    with pytest.raises(ValueError, match="has no table\\(s\\) users, profiles"):
        appdb_source(credentials=pg_database, tables=["users", "profiles"])
