"""Bad rows of every kind the rules know, planted in a small operations database, go through
the real loaders, dbt build and publish on DuckDB: each lands in its rejected mart with its
named reason, none reaches a fact table, and no raw row is lost on the way
(raw rows = accepted + rejected)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections import Counter

import duckdb
import pytest
import sqlalchemy as sa

from scripts.generate_sample_data import BATCH_RUNS, generate
from scripts.sample_itsm import INCIDENT

END = dt.date(2026, 6, 30)
HUGE = "x" * 100_000

# (kind of bad input, the table it is planted in, the reason it must be rejected with)
KINDS = [
    ("null key: run id", "batch", "null_run_id"),
    ("null foreign key: client id", "batch", "null_client_id"),
    ("foreign key to nothing: unknown client", "batch", "unknown_client"),
    ("duplicate id: run id twice", "batch", "duplicate_run_id"),
    ("unknown enum value: status", "batch", "unknown_status"),
    ("huge string (100 kB status)", "batch", "unknown_status"),
    ("missing timestamp: no start", "batch", "missing_start"),
    ("future date: start 30 days ahead", "batch", "starts_in_future"),
    ("missing end of a finished run", "batch", "missing_end"),
    ("negative duration: end before start", "batch", "ended_before_started"),
    ("absurd duration: 40 days", "batch", "absurd_duration"),
    ("null key: ticket number", "itsm", "null_number"),
    ("null version: sys_mod_count", "itsm", "null_sys_mod_count"),
    ("duplicate id: same ticket update twice", "itsm", "duplicate_event"),
    ("unknown enum value: state", "itsm", "unknown_state"),
    ("unknown enum value: priority", "itsm", "unknown_priority"),
    ("missing timestamp: opened_at", "itsm", "missing_timestamp"),
    ("impossible order: resolved before opened", "itsm", "resolved_before_opened"),
    ("out-of-order update: time goes back", "itsm", "out_of_order"),
]
REJECTED = {"batch": "batch_runs_rejected", "itsm": "itsm_events_rejected"}
ACCEPTED = {"batch": "fct_batch_runs", "itsm": "fct_itsm_ticket_events"}
RAW = {"batch": "raw_batch.batch_runs", "itsm": "raw_itsm.incident"}


def plant(url: str) -> None:
    """The kinds the sample generator does not plant already."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        template = dict(conn.execute(sa.select(BATCH_RUNS).limit(1)).mappings().one())
        start = dt.datetime.combine(END - dt.timedelta(days=2), dt.time(2))
        base = {
            **template,
            "run_date": start.date(),
            "started_at": start,
            "ended_at": start + dt.timedelta(minutes=30),
            "updated_at": start + dt.timedelta(minutes=31),
        }
        ahead = start + dt.timedelta(days=32)
        conn.execute(
            sa.insert(BATCH_RUNS),
            [
                {**base, "run_id": None},
                {**base, "run_id": "Y0000002", "client_id": "C9999"},
                {**base, "run_id": "Y0000003", "status": HUGE},
                {**base, "run_id": "Y0000004", "status": "failed", "started_at": None},
                {**base, "run_id": "Y0000005", "started_at": ahead, "run_date": ahead.date()},
                {**base, "run_id": "Y0000006", "ended_at": None},
            ],
        )
        event = dict(
            conn.execute(sa.select(INCIDENT).where(INCIDENT.c.incident_state == "Closed").limit(1))
            .mappings()
            .one()
        )
        conn.execute(
            sa.insert(INCIDENT),
            [
                {**event, "number": "INCBAD0005", "sys_mod_count": None},
                {**event, "number": "INCBAD0006", "sys_mod_count": 0, "opened_at": None},
            ],
        )
    engine.dispose()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("bad_input")
    url = f"sqlite:///{tmp / 'ops.sqlite'}"
    generate(url, tmp / "manifest.json", seed=5, end_date=END, clients=10, tickets=150)
    plant(url)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SOURCES__", "DESTINATION__"))},
        "TARGET": "duckdb",
        "KPI_DUCKDB_PATH": str(tmp / "warehouse.duckdb"),
        "KPI_PIPELINES_DIR": str(tmp / "pipelines"),
        "DBT_TARGET_PATH": str(tmp / "target"),
        "SOURCES__BATCH__CREDENTIALS": url,
        "SOURCES__ITSM__CREDENTIALS": url,
        "KPI_SOURCES": "batch,itsm",
    }
    steps = [
        [sys.executable, "-m", "loaders", "batch", "itsm"],
        [
            sys.executable,
            "-m",
            "scripts.publish",
            "--select",
            "+fct_batch_runs +batch_runs_rejected +dim_batch_clients "
            "+fct_itsm_ticket_events +itsm_events_rejected",
            "--indirect-selection",
            "cautious",
            "--vars",
            f"{{as_of_date: '{END}', batch_max_rejected_share: 0.5, itsm_max_rejected_share: 0.5}}",
        ],
    ]
    for step in steps:
        done = subprocess.run(step, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    return env["KPI_DUCKDB_PATH"]


def query(path: str, sql: str) -> list[tuple]:
    with duckdb.connect(path, read_only=True) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.fault(
    "bad input", "{kind}", "rejected as {reason} in load+build+publish; not in facts"
)
@pytest.mark.parametrize(("kind", "domain", "reason"), KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_is_rejected_with_its_reason_and_never_published(warehouse, kind, domain, reason):
    expected = Counter(r for _, d, r in KINDS if d == domain)
    rejected = dict(
        query(
            warehouse,
            f"select rejection_reason, count(*) from analytics.{REJECTED[domain]} group by 1",
        )
    )
    assert rejected.get(reason, 0) >= expected[reason], (kind, rejected)
    if reason == "unknown_status":
        (longest,) = query(
            warehouse, "select max(length(run_status)) from analytics.batch_runs_rejected"
        )[0]
        assert longest == len(HUGE), "the huge string must be kept whole for the person fixing it"


@pytest.mark.fault("bad input", "{domain}: every raw row", "accepted or rejected, none dropped")
@pytest.mark.parametrize("domain", ["batch", "itsm"])
def test_no_raw_row_is_silently_dropped(warehouse, domain):
    ((raw,),) = query(warehouse, f"select count(*) from {RAW[domain]}")
    ((accepted,),) = query(warehouse, f"select count(*) from analytics.{ACCEPTED[domain]}")
    ((rejected,),) = query(warehouse, f"select count(*) from analytics.{REJECTED[domain]}")
    assert raw == accepted + rejected
    planted = {
        "batch": "run_id like 'Y%' or run_id like 'X%'",
        "itsm": "ticket_number like 'INCBAD%'",
    }
    ((leaked,),) = query(
        warehouse, f"select count(*) from analytics.{ACCEPTED[domain]} where {planted[domain]}"
    )
    assert leaked == 0
