"""A loader killed with SIGKILL mid-load, and PostgreSQL restarted under a running load:
the warehouse stays readable, and the next run leaves every source row exactly once."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import duckdb
import psycopg2
import pytest
import sqlalchemy as sa

from loaders.targets import postgres_url
from scripts.generate_sample_data import generate

END = dt.date(2026, 6, 30)
KILL_AFTER_SECONDS = (0.8, 1.6, 2.4, 3.2, 4.5)  # extract, normalize and load phases


@pytest.fixture(scope="module")
def ops_url(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("ops")
    url = f"sqlite:///{tmp / 'ops.sqlite'}"
    generate(url, tmp / "manifest.json", seed=3, end_date=END, clients=150, tickets=100)
    return url


def source_count(url: str) -> int:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(sa.text("select count(*) from batch_runs")).scalar_one()
    engine.dispose()
    return count


def loader_env(ops_url: str, tmp_path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOURCES__", "DESTINATION__"))}
    return {
        **env,
        "SOURCES__BATCH__CREDENTIALS": ops_url,
        "KPI_PIPELINES_DIR": str(tmp_path / "pipelines"),
        **extra,
    }


def start_loader(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "loaders", "batch"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def duckdb_counts(path) -> tuple[int, int] | None:
    """(rows, distinct run keys) in raw_batch.batch_runs, read-only; None before the table."""
    if not path.exists():
        return None
    with duckdb.connect(str(path), read_only=True) as conn:
        exists = conn.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'raw_batch' and table_name = 'batch_runs'"
        ).fetchone()[0]
        if not exists:
            return None
        return conn.execute(
            "select count(*), count(distinct _run_key) from raw_batch.batch_runs"
        ).fetchone()


@pytest.mark.fault(
    "kill",
    "batch loader SIGKILLed at 0.8-4.5 s into a DuckDB load, 5 times, then re-run",
    "readable after every kill; every source row exactly once at the end",
)
def test_sigkill_mid_load_then_rerun_loses_and_duplicates_nothing(ops_url, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    env = loader_env(ops_url, tmp_path, TARGET="duckdb", KPI_DUCKDB_PATH=str(path))
    expected = source_count(ops_url)
    killed = 0
    for delay in KILL_AFTER_SECONDS:
        loader = start_loader(env)
        time.sleep(delay)
        if loader.poll() is None:
            loader.send_signal(signal.SIGKILL)
            killed += 1
        loader.communicate()
        counts = duckdb_counts(path)  # readable between runs, never more than the source
        assert counts is None or counts[0] <= expected, counts
    assert killed >= 2, "the loads finished before any kill: raise the data size"
    done = subprocess.run(
        [sys.executable, "-m", "loaders", "batch"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert duckdb_counts(path) == uninterrupted_counts(ops_url, tmp_path)


def uninterrupted_counts(ops_url: str, tmp_path) -> tuple[int, int]:
    """The same load, never killed (the source holds a planted duplicate run id)."""
    path = tmp_path / "reference.duckdb"
    env = loader_env(ops_url, tmp_path / "reference", TARGET="duckdb", KPI_DUCKDB_PATH=str(path))
    subprocess.run([sys.executable, "-m", "loaders", "batch"], env=env, check=True)
    counts = duckdb_counts(path)
    assert counts[0] == source_count(ops_url)
    return counts


def _admin():
    conn = psycopg2.connect(postgres_url().rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    return conn


def _wait_for_postgres(seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            _admin().close()
            return
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.mark.fault(
    "outage",
    "PostgreSQL restarted while the batch loader writes to it, then re-run",
    "the load finishes or fails naming the destination; re-run: every row exactly once",
)
def test_postgres_restart_during_a_load(ops_url, tmp_path, pg_database):
    database = pg_database.rsplit("/", 1)[1]
    env = loader_env(ops_url, tmp_path, TARGET="postgres", KPI_PG_DATABASE=database)
    loader = start_loader(env)
    time.sleep(2.0)
    subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=True)
    _, stderr = loader.communicate(timeout=300)
    if loader.returncode != 0:
        assert "source batch, step " in stderr and "on postgres" in stderr, stderr[-3000:]
    _wait_for_postgres()
    done = subprocess.run(
        [sys.executable, "-m", "loaders", "batch"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    conn = psycopg2.connect(pg_database)
    with conn.cursor() as cur:
        cur.execute("select count(*), count(distinct _run_key) from raw_batch.batch_runs")
        assert cur.fetchone() == uninterrupted_counts(ops_url, tmp_path)
    conn.close()
