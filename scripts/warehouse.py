"""Read-only connections to the built warehouse on either target (scripts and tests)."""

from __future__ import annotations

import os
from typing import Any

import duckdb
import pandas
import psycopg2

from loaders.targets import postgres_url, target_name

MART_SCHEMA = "analytics"  # what readers see: published only after every test passed
BUILD_SCHEMA = "analytics_build"  # where dbt builds and tests (scripts/publish.py)


def connect(target: str | None = None, read_only: bool = True) -> Any:
    """A DB-API connection to the warehouse that `target` (default: TARGET) points at;
    writable connections (read_only=False) commit each statement."""
    target = target or target_name()
    if target == "duckdb":
        path = os.environ.get("KPI_DUCKDB_PATH", "warehouse.duckdb")
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"no warehouse at {path} (KPI_DUCKDB_PATH, a DuckDB file): run make demo"
            )
        return duckdb.connect(path, read_only=read_only)
    conn = psycopg2.connect(postgres_url())
    conn.autocommit = not read_only
    return conn


def rows(target: str | None, sql: str) -> list[tuple]:
    conn = connect(target)
    try:
        cur = conn.cursor()
        cur.execute(sql)
        return [tuple(r) for r in cur.fetchall()]
    finally:
        conn.close()


def frame(sql: str, target: str | None = None) -> pandas.DataFrame:
    """A query's result as a pandas DataFrame (the notebooks read the marts with this)."""
    conn = connect(target)
    try:
        cur = conn.cursor()
        cur.execute(sql)
        return pandas.DataFrame(cur.fetchall(), columns=[c[0] for c in cur.description])
    finally:
        conn.close()


def mart_row_counts(target: str | None = None) -> dict[str, int]:
    """Rows per table in the mart schema, by table name."""
    tables = rows(
        target,
        "select table_name from information_schema.tables "
        f"where table_schema = '{MART_SCHEMA}' and table_type in ('BASE TABLE', 'VIEW') "
        "order by table_name",
    )
    return {
        name: rows(target, f"select count(*) from {MART_SCHEMA}.{name}")[0][0] for (name,) in tables
    }
