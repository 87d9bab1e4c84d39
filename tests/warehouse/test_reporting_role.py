"""After `make test-postgres`: the readers' role (KPI_REPORTING_ROLE) reads the published
marts and nothing else, and can change nothing."""

from __future__ import annotations

import os

import psycopg2
import pytest
from psycopg2 import errors

from scripts.warehouse import BUILD_SCHEMA, MART_SCHEMA


def reporting_connection(database: str | None = None):
    conn = psycopg2.connect(
        host=os.environ.get("KPI_PG_HOST", "127.0.0.1"),
        port=os.environ.get("KPI_PG_PORT", "5432"),
        user=os.environ.get("KPI_REPORTING_ROLE", "reporting"),
        password=os.environ.get("KPI_REPORTING_PASSWORD", "reporting"),
        dbname=database or os.environ.get("KPI_PG_DATABASE", "kpi"),
    )
    conn.autocommit = True
    return conn


@pytest.fixture(scope="module")
def cur():
    conn = reporting_connection()
    with conn.cursor() as cursor:
        yield cursor
    conn.close()


def relations_in(cur, schema: str) -> list[str]:
    """Names from the catalog (pg_class lists every relation, readable or not)."""
    cur.execute(
        "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "where n.nspname = %s and c.relkind in ('r', 'v') and c.relname not like '\\_dlt%%' "
        "order by 1",
        (schema,),
    )
    return [name for (name,) in cur.fetchall()]


def test_reads_every_published_mart(cur):
    marts = relations_in(cur, MART_SCHEMA)
    assert "fct_batch_runs" in marts and "itsm_kpi_cards" in marts and len(marts) >= 25
    for name in marts:
        cur.execute(f"select count(*) from {MART_SCHEMA}.{name}")
        assert cur.fetchone()[0] >= 0


@pytest.mark.parametrize(
    "schema", ["raw_batch", "raw_itsm", "raw_looker", "staging", "intermediate", BUILD_SCHEMA]
)
def test_cannot_read_raw_staging_or_unpublished_schemas(cur, schema):
    names = relations_in(cur, schema)
    assert names, f"nothing in {schema} to try"
    for name in names[:3]:
        with pytest.raises(errors.InsufficientPrivilege):
            cur.execute(f"select * from {schema}.{name} limit 1")


@pytest.mark.parametrize(
    "statement",
    [
        f"insert into {MART_SCHEMA}.batch_run_statuses select * from "
        f"{MART_SCHEMA}.batch_run_statuses",
        f"update {MART_SCHEMA}.fct_batch_runs set duration_minutes = 0",
        f"delete from {MART_SCHEMA}.fct_batch_runs",
        f"truncate {MART_SCHEMA}.fct_batch_runs",
        f"drop table {MART_SCHEMA}.fct_batch_runs",
        f"alter table {MART_SCHEMA}.fct_batch_runs add column x int",
        f"create table {MART_SCHEMA}.reporting_was_here (x int)",
        "create table public.reporting_was_here (x int)",
        "create schema reporting_was_here",
        "create temporary table reporting_was_here (x int)",
    ],
)
def test_cannot_write_anything(cur, statement):
    with pytest.raises(errors.InsufficientPrivilege):
        cur.execute(statement)


def test_cannot_connect_to_the_operations_database():
    with pytest.raises(psycopg2.OperationalError, match="permission denied"):
        reporting_connection("kpi_ops")
