"""The batch loader against a real PostgreSQL operations database (make pg-up)."""

from __future__ import annotations

import datetime as dt

import dlt
import duckdb
import pytest
import sqlalchemy as sa

from loaders.__main__ import main
from loaders.batch import batch_source
from scripts.generate_sample_data import generate

END = dt.date(2026, 3, 31)


@pytest.fixture
def ops_url(pg_database, tmp_path) -> str:
    generate(pg_database, tmp_path / "manifest.json", seed=11, end_date=END, clients=12)
    return pg_database


@pytest.fixture
def pipeline(tmp_path, monkeypatch) -> dlt.Pipeline:
    monkeypatch.setenv("RUNTIME__REQUEST_MAX_ATTEMPTS", "1")
    return dlt.pipeline(
        pipeline_name="test_batch",
        pipelines_dir=str(tmp_path / "state"),
        destination=dlt.destinations.duckdb(str(tmp_path / "raw.duckdb")),
        dataset_name="raw_batch",
    )


def warehouse_rows(pipeline: dlt.Pipeline, sql: str) -> list[tuple]:
    with pipeline.sql_client() as client:
        return [tuple(r) for r in client.execute_sql(sql)]


def source_rows(url: str, sql: str) -> list[tuple]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(sa.text(sql))]
    finally:
        engine.dispose()


@pytest.mark.fault("rerun", "batch loader run 3 times on the same data", "every row once")
def test_three_runs_on_the_same_data_load_every_row_once(pipeline, ops_url):
    for _ in range(3):
        pipeline.run(batch_source(credentials=ops_url))
    ((raw_rows, distinct_ids),) = source_rows(
        ops_url, "select count(*), count(distinct run_id) from batch_runs"
    )
    assert warehouse_rows(pipeline, "select count(*), count(distinct run_id) from batch_runs") == [
        (raw_rows, distinct_ids)
    ]
    # the planted duplicate run id is kept for batch_runs_rejected, not merged away
    assert raw_rows == distinct_ids + 1
    assert warehouse_rows(pipeline, "select count(*) from clients") == [(12,)]


def test_rerun_takes_only_changed_rows_and_replaces_them_by_run_id(pipeline, ops_url):
    pipeline.run(batch_source(credentials=ops_url))
    engine = sa.create_engine(ops_url)
    later = dt.datetime(2027, 1, 1)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "update batch_runs set status = 'failed', updated_at = :t where run_id = 'R0000001'"
            ),
            {"t": later},
        )
        conn.execute(
            sa.text(
                "insert into batch_runs (run_id, client_id, run_date, started_at, ended_at, "
                "status, updated_at) values ('N1', 'C0001', '2026-04-01', "
                "'2026-04-01 01:00', '2026-04-01 01:30', 'success', :t)"
            ),
            {"t": later},
        )
    info = pipeline.run(batch_source(credentials=ops_url))
    assert info.pipeline.last_trace.last_normalize_info.row_counts.get("batch_runs") == 2
    assert warehouse_rows(pipeline, "select status from batch_runs where run_id = 'R0000001'") == [
        ("failed",)
    ]
    assert warehouse_rows(pipeline, "select count(*) from batch_runs where run_id = 'N1'") == [(1,)]


def test_loads_into_postgres_too(ops_url, tmp_path):
    pipeline = dlt.pipeline(
        pipeline_name="test_batch_pg",
        pipelines_dir=str(tmp_path / "state"),
        destination=dlt.destinations.postgres(ops_url),
        dataset_name="raw_batch",
    )
    pipeline.run(batch_source(credentials=ops_url))
    pipeline.run(batch_source(credentials=ops_url))
    assert source_rows(ops_url, "select count(*) from raw_batch.batch_runs") == source_rows(
        ops_url, "select count(*) from public.batch_runs"
    )


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TARGET", "duckdb")
    monkeypatch.setenv("KPI_DUCKDB_PATH", str(tmp_path / "wh.duckdb"))
    monkeypatch.setenv("KPI_PIPELINES_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("SOURCES__BATCH__CREDENTIALS", raising=False)
    return monkeypatch


@pytest.mark.fault("bad input", "batch: missing credentials", "stops naming the setting")
def test_missing_credentials_fail_fast_naming_the_setting(cli_env, capsys):
    assert main(["batch"]) == 2
    err = capsys.readouterr().err
    assert "credentials" in err and "SOURCES__BATCH__CREDENTIALS" in err


@pytest.mark.fault("bad input", "batch: unparsable credentials", "stops naming the setting")
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "sources.batch.credentials (SOURCES__BATCH__CREDENTIALS) cannot be parsed"),
        ("postgresql://kpi:kpi@127.0.0.1:1/ops", "sources.batch.credentials: cannot connect"),
        ("sqlite:///{tmp}/empty.sqlite", "has no table(s) clients, batch_runs"),
    ],
)
def test_wrong_credentials_fail_fast_naming_the_setting(cli_env, capsys, tmp_path, url, expected):
    cli_env.setenv("SOURCES__BATCH__CREDENTIALS", url.format(tmp=tmp_path))
    assert main(["batch"]) == 2
    assert expected in capsys.readouterr().err


def test_wrong_target_and_unknown_source_are_named(cli_env, capsys, ops_url):
    cli_env.setenv("SOURCES__BATCH__CREDENTIALS", ops_url)
    cli_env.setenv("TARGET", "oracle")
    assert main(["batch"]) == 2
    expected = "loaders: TARGET='oracle' is not a target; use one of duckdb, postgres, spark"
    assert expected in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["nosuch"])
    assert "unknown source(s) nosuch" in capsys.readouterr().err


@pytest.mark.fault("outage", "batch: source database gone mid-pipeline", "earlier loads intact")
def test_a_failed_load_loses_nothing_already_loaded(cli_env, capsys, ops_url, tmp_path):
    cli_env.setenv("SOURCES__BATCH__CREDENTIALS", ops_url)
    assert main(["batch"]) == 0

    def count() -> int:
        with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
            return con.execute("select count(*) from raw_batch.batch_runs").fetchone()[0]

    before = count()
    cli_env.setenv("SOURCES__BATCH__CREDENTIALS", "postgresql://kpi:kpi@127.0.0.1:1/ops")
    assert main(["batch"]) == 2
    assert count() == before > 0
