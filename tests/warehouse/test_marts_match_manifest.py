"""After `make test-duckdb test-postgres`: both warehouses flag exactly what the generator
planted (data/manifest.json) and hold the same number of rows in every mart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.warehouse import MART_SCHEMA, mart_row_counts, rows

TARGETS = ("duckdb", "postgres")
MANIFEST = Path("data/manifest.json")


@pytest.fixture(scope="module")
def manifest() -> dict:
    if not MANIFEST.exists():
        pytest.fail(f"{MANIFEST} is missing: run `make test-duckdb test-postgres` first")
    return json.loads(MANIFEST.read_text())


@pytest.mark.parametrize("target", TARGETS)
def test_flagged_outliers_are_exactly_the_planted_ones(target, manifest):
    flagged = rows(target, f"select run_id from {MART_SCHEMA}.batch_duration_outliers")
    assert sorted(r for (r,) in flagged) == sorted(manifest["outlier_run_ids"])


@pytest.mark.parametrize("target", TARGETS)
def test_stale_clients_are_exactly_the_planted_ones(target, manifest):
    stale = rows(
        target, f"select client_id from {MART_SCHEMA}.batch_client_staleness where is_stale"
    )
    assert sorted(c for (c,) in stale) == manifest["stale_client_ids"]


@pytest.mark.parametrize("target", TARGETS)
def test_every_planted_bad_row_is_rejected_with_its_reason(target, manifest):
    rejected = rows(
        target, f"select distinct run_id, rejection_reason from {MART_SCHEMA}.batch_runs_rejected"
    )
    assert sorted(rejected) == sorted((r["run_id"], r["reason"]) for r in manifest["rejected_runs"])
    bad_ids = ", ".join(f"'{r['run_id']}'" for r in manifest["rejected_runs"])
    leaked = rows(
        target, f"select count(*) from {MART_SCHEMA}.fct_batch_runs where run_id in ({bad_ids})"
    )
    assert leaked == [(0,)]


def test_both_targets_hold_the_same_rows(manifest):
    duck, pg = (mart_row_counts(t) for t in TARGETS)
    assert duck == pg
    accepted = manifest["batch_runs"] - len(manifest["rejected_runs"]) - 1  # both dup copies
    assert duck["fct_batch_runs"] == accepted
    assert duck["dim_batch_clients"] == manifest["clients"]


@pytest.mark.parametrize("target", TARGETS)
def test_every_planted_bad_itsm_event_is_rejected_with_its_reason(target, manifest):
    rejected = rows(
        target,
        "select ticket_number, event_seq, rejection_reason "
        f"from {MART_SCHEMA}.itsm_events_rejected",
    )
    expected = [
        (r["number"], r["sys_mod_count"], r["reason"]) for r in manifest["itsm_rejected_events"]
    ]
    assert sorted(rejected, key=str) == sorted(expected, key=str)


@pytest.mark.parametrize("target", TARGETS)
def test_every_itsm_kpi_has_daily_history_and_a_card(target, manifest):
    ((kpis, days),) = rows(
        target,
        "select count(distinct kpi_name), count(distinct kpi_date) "
        f"from {MART_SCHEMA}.itsm_kpis_daily where breakdown = 'all'",
    )
    assert kpis == 42 and days >= 120
    cards = rows(
        target, f"select count(*) from {MART_SCHEMA}.itsm_kpi_cards where kpi_value is not null"
    )
    assert cards[0][0] >= 40  # a ratio with nothing to measure today may be null
    ((tickets,),) = rows(target, f"select count(*) from {MART_SCHEMA}.fct_itsm_tickets")
    assert tickets == manifest["itsm_tickets"]  # planted bad tickets have no accepted event
