"""A load refused for too many rejected rows still shows why: the rejected-row table is
published, the failure names the top reasons with their counts, and no mart is published.
The real case: a scheduler whose status words the project did not know."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys

import pytest
import sqlalchemy as sa

from scripts.generate_sample_data import generate
from tests.adoption.recipes import AS_OF, ROOT, published_rows, published_tables, run_recipe

RECIPE = "KPI_SOURCES=batch SOURCES__BATCH__CREDENTIALS=sqlite:///ops.sqlite make load build"


@pytest.fixture
def ops(tmp_path):
    url = f"sqlite:///{tmp_path / 'ops.sqlite'}"
    generate(url, tmp_path / "manifest.json", seed=8, end_date=dt.date.fromisoformat(AS_OF))
    return tmp_path / "ops.sqlite"


def test_status_words_from_a_real_scheduler_are_mapped(ops, tmp_path):
    engine = sa.create_engine(f"sqlite:///{ops}")
    with engine.begin() as conn:
        conn.execute(sa.text("update batch_runs set status = 'Succeeded' where status = 'success'"))
        conn.execute(sa.text("update batch_runs set status = 'ERROR' where status = 'failed'"))
    run_recipe(RECIPE, tmp_path / "work", {"ops.sqlite": str(ops)})
    statuses = dict(
        published_rows(
            tmp_path / "work",
            "select run_status, count(*) from analytics.fct_batch_runs group by run_status",
        )
    )
    assert statuses.keys() <= {"success", "failed", "running"}
    assert statuses["success"] > 0 and statuses["failed"] > 0
    unknown = published_rows(
        tmp_path / "work",
        "select count(*) from analytics.batch_runs_rejected "
        "where rejection_reason = 'unknown_status' and source_status in ('succeeded', 'error')",
    )
    assert unknown == [(0,)]


def test_a_refused_load_publishes_its_rejected_rows_and_names_the_reasons(ops, tmp_path):
    engine = sa.create_engine(f"sqlite:///{ops}")
    with engine.begin() as conn:
        total = conn.execute(sa.text("select count(*) from batch_runs")).scalar()
        conn.execute(
            sa.text(
                "update batch_runs set status = 'partially done' where rowid in "
                "(select rowid from batch_runs where status = 'success' limit :n)"
            ),
            {"n": total // 20},
        )
    # no AS_OF_DATE, as cron and the Airflow DAG run it: dbt gets no --vars
    done = run_recipe(
        RECIPE, tmp_path / "work", {"ops.sqlite": str(ops)}, check=False, AS_OF_DATE=""
    )
    assert done.returncode != 0
    assert "rejected_share_at_most" in done.stderr
    top = re.search(r"rows of \S+ rejected; top reasons: unknown_status (\d+)", done.stderr)
    assert top and int(top.group(1)) >= total // 20  # the top reason, with its count
    assert published_tables(tmp_path / "work") == {"batch_runs_rejected"}  # no mart
    words = published_rows(
        tmp_path / "work",
        "select source_status, count(*) from analytics.batch_runs_rejected "
        "where rejection_reason = 'unknown_status' group by source_status",
    )
    assert ("partially done", total // 20) in words


def test_publish_no_build_never_trusts_another_commands_results(ops, tmp_path):
    """Observed: a failed build, then `make docs`, then `publish --no-build` published the
    failed build (docs generate had written a run_results.json with no failure in it)."""
    engine = sa.create_engine(f"sqlite:///{ops}")
    with engine.begin() as conn:
        conn.execute(sa.text("update batch_runs set status = 'weird' where rowid % 10 = 0"))
    work = tmp_path / "work"
    assert run_recipe(RECIPE, work, {"ops.sqlite": str(ops)}, check=False).returncode != 0
    docs = run_recipe("KPI_SOURCES=batch make docs", work, {}, check=False)
    assert docs.returncode == 0, docs.stdout[-2000:]
    done = subprocess.run(
        [sys.executable, "-m", "scripts.publish", "--no-build"],
        cwd=ROOT,
        env={
            **os.environ,
            "KPI_SOURCES": "batch",
            "KPI_DUCKDB_PATH": str(work / "warehouse.duckdb"),
            "DBT_TARGET_PATH": str(work / "target"),
        },
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "the last dbt command here was `generate`, not `build`" in done.stderr
    assert published_tables(work) == {"batch_runs_rejected"}  # no mart published
