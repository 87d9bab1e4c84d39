"""After `make test-postgres`: bad raw data that fails a mart test or a source test is not
published. The build runs on a copy of the warehouse database; the readers' marts in it
must come out exactly as they went in, and the failing tests are named on stderr and in
a Slack message (the spec-checked stand-in)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import psycopg2
import pytest

from loaders.targets import postgres_url
from sandbox.slack_server import SlackServer
from scripts.warehouse import BUILD_SCHEMA, MART_SCHEMA

# Passes every staging check, lands in fct_batch_runs, then fails its test (sales >= 0).
NEGATIVE_SALES = """
update raw_batch.batch_runs set daily_sales = -1200
where run_id = (select min(run_id) from analytics.fct_batch_runs)
"""
DUPLICATE_CLIENT = "insert into raw_batch.clients select * from raw_batch.clients limit 1"
CHECKED = ("fct_batch_runs", "batch_runs_rejected", "dim_batch_clients", "itsm_kpi_cards")


def connect(database: str):
    conn = psycopg2.connect(postgres_url().rsplit("/", 1)[0] + f"/{database}")
    conn.autocommit = True
    return conn


@pytest.fixture
def warehouse_copy():
    """A copy of the built warehouse database (the same marts, published and built)."""
    source = os.environ.get("KPI_PG_DATABASE", "kpi")
    name = f"kpi_gate_{uuid.uuid4().hex[:8]}"
    admin = connect("postgres")
    with admin.cursor() as cur:
        cur.execute(f'create database "{name}" template "{source}"')
    try:
        yield name
    finally:
        with admin.cursor() as cur:
            cur.execute(f'drop database if exists "{name}" with (force)')
        admin.close()


def fingerprint(database: str, schema: str) -> dict[str, tuple]:
    conn = connect(database)
    try:
        with conn.cursor() as cur:
            prints = {}
            for table in CHECKED:
                cur.execute(
                    f"select count(*), md5(string_agg(t::text, '|' order by t::text)) "
                    f"from {schema}.{table} t"
                )
                prints[table] = cur.fetchone()
            return prints
    finally:
        conn.close()


@pytest.mark.fault(
    "bad input",
    "negative sales / duplicate client id in raw data",
    "build fails by test name, readers keep last good marts",
)
@pytest.mark.parametrize(
    ("bad_data", "dbt_args", "failing_test"),
    [
        (NEGATIVE_SALES, [], "values_at_least_fct_batch_runs_daily_sales__0"),
        (DUPLICATE_CLIENT, ["--select", "source:batch+"], "source_unique_batch_clients_client_id"),
    ],
    ids=["mart-test-fails", "source-test-fails"],
)
def test_failed_tests_leave_the_published_marts_unchanged(
    warehouse_copy, tmp_path, bad_data, dbt_args, failing_test
):
    published_before = fingerprint(warehouse_copy, MART_SCHEMA)
    built_before = fingerprint(warehouse_copy, BUILD_SCHEMA)
    conn = connect(warehouse_copy)
    with conn.cursor() as cur:
        cur.execute(bad_data)
    conn.close()

    with SlackServer() as slack:
        env = {
            **os.environ,
            "TARGET": "postgres",
            "KPI_PG_DATABASE": warehouse_copy,
            "DBT_TARGET_PATH": str(tmp_path / "target"),
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_API_URL": slack.base_url,
            "SLACK_ALERT_CHANNEL": "#data-alerts",
        }
        vars_arg = ["--vars", f"{{as_of_date: '{os.environ['AS_OF_DATE']}'}}"] * bool(
            os.environ.get("AS_OF_DATE")
        )
        done = subprocess.run(
            [sys.executable, "-m", "scripts.publish", *dbt_args, *vars_arg],
            env=env,
            capture_output=True,
            text=True,
        )
        messages, problems = slack.stand_in.messages, slack.stand_in.problems

    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    assert failing_test in done.stderr
    assert f"{MART_SCHEMA} was not published" in done.stderr
    assert [m["channel"] for m in messages] == ["#data-alerts"]
    assert failing_test in messages[0]["text"]
    assert problems == []
    assert fingerprint(warehouse_copy, MART_SCHEMA) == published_before
    if "fct_batch_runs" in failing_test:  # built, tested, failed: only the build schema changed
        assert fingerprint(warehouse_copy, BUILD_SCHEMA) != built_before
