"""Read-only connections to the built warehouse on either target (scripts and tests)."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import math
import os
from collections.abc import Iterable
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
        conn = duckdb.connect(path, read_only=read_only)
        conn.execute("set TimeZone = 'UTC'")  # as the dbt profile: UTC whatever the host's TZ
        return conn
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


def normal(value: Any) -> str:
    """One text for a value whatever engine returned it: timestamps as naive UTC, numbers
    integral or to 9 significant digits (engines sum floats in different orders), so rows
    from DuckDB, PostgreSQL and Spark compare equal when they hold the same data."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int | float | decimal.Decimal):
        number = float(value)
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return f"{number:.9g}"
    return str(value)


def checksum(records: Iterable[Iterable[Any]]) -> str:
    """md5 of the sorted rows, every value through normal(): equal for the same rows in any
    order on any engine."""
    lines = sorted("|".join(normal(v) for v in record) for record in records)
    return hashlib.md5("\n".join(lines).encode()).hexdigest()


def mart_columns(target: str | None, mart: str, schema: str = MART_SCHEMA) -> list[str]:
    return [
        name
        for (name,) in rows(
            target,
            "select column_name from information_schema.columns "
            f"where table_schema = '{schema}' and table_name = '{mart}' order by ordinal_position",
        )
    ]


def row_differences(
    left: list[tuple], right: list[tuple], tolerance: float = 1e-9, limit: int = 5
) -> list[str]:
    """The rows that differ between two engines' answers to the same query, every column
    compared: text, dates, integers and booleans exactly (through normal()), non-integral
    numbers within `tolerance` (relative or absolute), because DuckDB and PostgreSQL sum
    floats in different orders (4.330078125 on one is 4.3300781250000009 on the other)."""
    if len(left) != len(right):
        return [f"{len(left)} rows against {len(right)}"]
    width = len(left[0]) if left else 0
    approx = {
        i for i in range(width) if any(isinstance(r[i], float | decimal.Decimal) for r in left)
    } | {i for i in range(width) if any(isinstance(r[i], float | decimal.Decimal) for r in right)}

    def key(record: tuple) -> tuple:
        exact = tuple(normal(v) for i, v in enumerate(record) if i not in approx)
        rough = tuple("" if record[i] is None else f"{float(record[i]):.6g}" for i in approx)
        return exact, rough

    def same(a: tuple, b: tuple) -> bool:
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if i in approx and x is not None and y is not None:
                if not math.isclose(float(x), float(y), rel_tol=tolerance, abs_tol=tolerance):
                    return False
            elif normal(x) != normal(y):
                return False
        return True

    found = []
    for a, b in zip(sorted(left, key=key), sorted(right, key=key), strict=True):
        if not same(a, b):
            found.append(f"{tuple(map(normal, a))} != {tuple(map(normal, b))}")
            if len(found) == limit:
                break
    return found


def mart_rows(target: str | None, mart: str, columns: list[str]) -> list[tuple]:
    return rows(target, f"select {', '.join(columns)} from {MART_SCHEMA}.{mart}")
