"""After `make test-duckdb test-postgres`: both warehouses flag exactly what the generator
planted (data/manifest.json) and hold the same rows in every mart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.warehouse import (
    MART_SCHEMA,
    mart_columns,
    mart_row_counts,
    mart_rows,
    row_differences,
    rows,
)

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


LIVE_MARTS = (
    "fct_metric_values_hourly",
    "fct_metric_values_daily",
    "metrics_pirate",
    "metrics_quality_of_service",
    "metric_values_rejected",
)  # depend on load time


def test_both_targets_hold_the_same_rows(manifest):
    """Same inputs (one generated database per target, stand-ins on the run's as-of moment),
    so every mart holds the same rows: same columns, and every column of every row equal
    (non-integral numbers within 1e-9)."""
    counts = {t: mart_row_counts(t) for t in TARGETS}
    assert counts["duckdb"].keys() == counts["postgres"].keys()
    differ = {}
    for mart in counts["duckdb"]:
        if mart in LIVE_MARTS:
            continue
        columns = mart_columns("duckdb", mart)
        assert mart_columns("postgres", mart) == columns, f"{mart}: columns differ"
        found = row_differences(*(mart_rows(t, mart, columns) for t in TARGETS))
        if found:
            differ[mart] = found
    assert differ == {}
    duck = counts["duckdb"]
    accepted = manifest["batch_runs"] - len(manifest["rejected_runs"]) - 1  # both dup copies
    assert duck["fct_batch_runs"] == accepted
    assert duck["dim_batch_clients"] == manifest["clients"]


@pytest.mark.parametrize(
    ("mart", "where", "live_columns"),
    [
        ("fct_metric_values_hourly", "source_system = 'ga4'", ()),
        ("fct_metric_values_daily", "source_system = 'ga4'", ()),
        ("metrics_pirate", "1 = 1", ("app_users",)),
    ],
)
def test_metric_marts_agree_on_what_the_pinned_stand_ins_served(mart, where, live_columns):
    """The metric marts mix live sources (Prometheus scrapes, app-table counts stamped with
    the load's hour) with GA4, whose stand-in answers from the run's as-of moment: the GA4
    part must be the same rows on both targets."""
    columns = [c for c in mart_columns("duckdb", mart) if c not in live_columns]
    sql = f"select {', '.join(columns)} from {MART_SCHEMA}.{mart} where {where}"
    duck, pg = (rows(t, sql) for t in TARGETS)
    assert duck and row_differences(duck, pg) == []


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


@pytest.mark.parametrize("target", TARGETS)
def test_metrics_marts_cover_every_source(target):
    metrics = {
        name
        for (name,) in rows(
            target, f"select distinct metric_name from {MART_SCHEMA}.fct_metric_values_daily"
        )
    }
    assert {
        "ga4_sessions",
        "ga4_new_users",
        "ga4_sign_ups",
        "ga4_activations",
        "service_up",
        "http_requests",
        "app_rows_users",
    } <= metrics
    ((days, rate),) = rows(
        target,
        f"select count(*), max(activation_rate) from {MART_SCHEMA}.metrics_pirate "
        "where channel = 'All channels'",
    )
    assert days >= 90 and 0 < rate < 1
    ((availability,),) = rows(
        target,
        f"select max(availability) from {MART_SCHEMA}.metrics_quality_of_service "
        "where period_grain = 'hour'",
    )
    assert availability == 1.0  # the real Prometheus scraped itself


@pytest.mark.parametrize("target", TARGETS)
def test_bi_marts_cover_the_looker_content(target):
    actions = dict(
        rows(
            target,
            f"select deprecation_action, count(*) from {MART_SCHEMA}.bi_deprecation_candidates "
            "group by deprecation_action",
        )
    )
    assert {"keep", "exempt", "soft_delete", "hard_delete"} <= set(actions)
    ((never, fresh_flagged),) = rows(
        target,
        f"select sum(case when not v.has_been_accessed then 1 else 0 end), "
        f"sum(case when v.days_idle < 53 and c.deprecation_action in ('warn', 'soft_delete') "
        f"then 1 else 0 end) from {MART_SCHEMA}.bi_visual_last_access v "
        f"join {MART_SCHEMA}.bi_deprecation_candidates c "
        "on v.content_type = c.content_type and v.content_id = c.content_id",
    )
    assert never > 0 and fresh_flagged == 0
