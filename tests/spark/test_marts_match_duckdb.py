"""After `make test-spark` has loaded the demo data to parquet and built the dbt project on
Spark: every mart holds the same rows as the DuckDB build of the same data (row counts, and
a checksum of each mart's key columns)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scripts.warehouse import BUILD_SCHEMA, MART_SCHEMA, checksum, rows
from tests.warehouse.test_marts_match_manifest import LIVE_MARTS

MANIFEST = Path("target/manifest.json")


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.enableHiveSupport()
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", os.environ.get("KPI_SPARK_WAREHOUSE", "spark-warehouse"))
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    yield session
    session.stop()


def key_columns() -> dict[str, list[str]]:
    """Each mart's key, from its unique / unique_combination test (else every column)."""
    nodes = json.loads(MANIFEST.read_text())["nodes"].values()
    keys: dict[str, list[str]] = {}
    for node in nodes:
        meta = node.get("test_metadata") or {}
        if node["resource_type"] != "test" or meta.get("name") not in (
            "unique",
            "unique_combination",
        ):
            continue
        model = node["depends_on"]["nodes"][0].rsplit(".", 1)[1]
        kwargs = meta.get("kwargs", {})
        keys[model] = kwargs.get("columns") or kwargs.get("column_names") or [kwargs["column_name"]]
    return keys


def catalog(sql_filter: str, column: str) -> list[str]:
    return [
        name
        for (name,) in rows(
            "duckdb",
            f"select {column} from information_schema.{sql_filter} order by "
            + ("ordinal_position" if column == "column_name" else "1"),
        )
    ]


def marts() -> list[str]:
    found = catalog(f"tables where table_schema = '{MART_SCHEMA}'", "table_name")
    if not found:
        pytest.fail("no DuckDB marts to compare with: run `make test-duckdb` first")
    return [m for m in found if m not in LIVE_MARTS]


@pytest.mark.parametrize("mart", marts())
def test_spark_mart_equals_the_duckdb_mart(spark, mart):
    keys = key_columns().get(mart)
    duck_columns = catalog(
        f"columns where table_schema = '{MART_SCHEMA}' and table_name = '{mart}'", "column_name"
    )
    columns = keys or duck_columns
    spark_columns = spark.table(f"{BUILD_SCHEMA}.{mart}").columns
    assert spark_columns == duck_columns, "the same columns in the same order"
    select = ", ".join(columns)
    duck = rows("duckdb", f"select {select} from {MART_SCHEMA}.{mart}")
    lake = [tuple(r) for r in spark.sql(f"select {select} from {BUILD_SCHEMA}.{mart}").collect()]
    assert len(lake) == len(duck), f"{mart}: {len(lake)} rows on Spark, {len(duck)} on DuckDB"
    assert checksum(lake) == checksum(duck), f"{mart}: key columns {columns} differ"
