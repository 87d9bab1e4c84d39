"""The looker loader through looker-sdk against the spec-checked Looker stand-in."""

from __future__ import annotations

import datetime as dt

import dlt
import pytest

from loaders.looker import looker_source
from sandbox.looker_server import LookerServer


@pytest.fixture
def looker(monkeypatch):
    with LookerServer() as server:
        for name, value in server.env().items():
            monkeypatch.setenv(name, value)
        yield server


@pytest.fixture
def pipeline(tmp_path) -> dlt.Pipeline:
    return dlt.pipeline(
        pipeline_name="test_looker",
        pipelines_dir=str(tmp_path / "state"),
        destination=dlt.destinations.duckdb(str(tmp_path / "raw.duckdb")),
        dataset_name="raw_looker",
    )


def ninety_days_ago(stand_in) -> str:
    """System Activity keeps 90 days of history, as Looker does."""
    return (stand_in.now - dt.timedelta(days=90)).strftime("%Y-%m-%d")


def rows(pipeline, sql):
    with pipeline.sql_client() as client:
        return [tuple(r) for r in client.execute_sql(sql)]


@pytest.mark.fault("rerun", "Looker loader run again", "history appends only new events")
def test_loads_content_with_trash_users_and_history_and_reruns_append_only_new(looker, pipeline):
    stand_in = looker.stand_in
    pipeline.run(looker_source(history_page_size=700, users_page_size=25))
    deleted = sum(i["deleted"] for i in [*stand_in.dashboards.values(), *stand_in.looks.values()])
    assert rows(
        pipeline, "select count(*), sum(case when deleted then 1 else 0 end) from content"
    ) == [(len(stand_in.dashboards) + len(stand_in.looks), deleted)]
    assert rows(pipeline, "select count(*) from users") == [(len(stand_in.users),)]
    kept = [r for r in stand_in.history if r["history.created_time"] >= ninety_days_ago(stand_in)]
    assert rows(pipeline, "select count(*) from history") == [(len(kept),)]  # Looker keeps 90 d
    user_pages = [r for r in stand_in.requests if r == "GET /api/4.0/users"]
    # paged with limit/offset until an empty page (a short page may be a server's cap)
    assert len(user_pages) == -(-len(stand_in.users) // 25) + 1
    stand_in.touch("dashboard", next(iter(stand_in.dashboards)))
    stand_in.requests.clear()
    pipeline.run(looker_source(history_page_size=700))
    kept = [r for r in stand_in.history if r["history.created_time"] >= ninety_days_ago(stand_in)]
    assert rows(pipeline, "select count(*), count(distinct history_id) from history") == [
        (len(kept), len(kept))
    ]
    # only rows after the last id loaded: one page of new rows, then the empty page
    assert stand_in.requests.count("POST /api/4.0/queries/run/json") == 2
    assert stand_in.problems == []


@pytest.mark.fault("outage", "Looker answering 500", "retried; persistent errors named")
def test_transient_errors_are_retried_and_persistent_ones_named(looker, pipeline):
    looker.stand_in.fail_next = [429, 503]
    pipeline.run(looker_source(history_page_size=5000))
    assert rows(pipeline, "select count(*) > 0 from history") == [(True,)]
    looker.stand_in.fail_next = [500] * 20
    with pytest.raises(Exception, match=r"looker search dashboards .*HTTP 500 after 2 attempt"):
        pipeline.run(looker_source(max_attempts=2))


def test_an_item_trashed_between_the_two_searches_is_loaded_once(looker, pipeline):
    stand_in = looker.stand_in
    live_id = next(i for i, d in stand_in.dashboards.items() if not d["deleted"])

    def trash_after_live_search(method: str, path: str) -> None:
        if path.endswith("/dashboards/search") and not stand_in.dashboards[live_id]["deleted"]:
            stand_in.dashboards[live_id].update(deleted=True, deleted_at="2026-01-01T00:00:00Z")

    stand_in.after_request.append(trash_after_live_search)
    pipeline.run(looker_source(search_page_size=10_000))
    assert rows(
        pipeline, f"select count(*), bool_and(deleted) from content where id = '{live_id}'"
    ) == [(1, True)]


def test_an_empty_trash_and_a_server_cap_on_pages_lose_nothing(looker, pipeline):
    stand_in = looker.stand_in
    for item in [*stand_in.dashboards.values(), *stand_in.looks.values()]:
        item.update(deleted=False, deleted_at=None)
    stand_in.row_cap = 1000  # a page never holds more, whatever limit is asked
    pipeline.run(looker_source(history_page_size=5000, search_page_size=5000))
    kept = sum(r["history.created_time"] >= ninety_days_ago(stand_in) for r in stand_in.history)
    assert kept > 1000
    assert rows(pipeline, "select count(*) from history") == [(kept,)]
    assert rows(pipeline, "select count(*) from content") == [
        (len(stand_in.dashboards) + len(stand_in.looks),)
    ]
    types = dict(
        rows(
            pipeline,
            "select column_name, data_type from information_schema.columns "
            "where table_name = 'content' and column_name in ('deleted_at', 'last_accessed_at')",
        )
    )
    assert set(types) == {"deleted_at", "last_accessed_at"}  # typed though all are null
    searches = [r for r in stand_in.requests if r.endswith("/search")]
    assert len(searches) >= 4  # live and Trash, each paged until an empty page
    assert stand_in.problems == []


def test_a_search_error_exits_2_naming_the_call(looker, tmp_path, monkeypatch, capsys):
    from loaders.__main__ import main

    monkeypatch.setenv("KPI_DUCKDB_PATH", str(tmp_path / "w.duckdb"))
    monkeypatch.setenv("KPI_PIPELINES_DIR", str(tmp_path / "state"))
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    looker.stand_in.fail_next = [500] * 10
    assert main(["looker"]) == 2
    err = capsys.readouterr().err
    assert "looker search dashboards" in err and "HTTP 500" in err
    assert "Traceback" not in err
