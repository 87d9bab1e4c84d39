"""The looker loader through looker-sdk against the spec-checked Looker stand-in."""

from __future__ import annotations

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
    assert rows(pipeline, "select count(*) from history") == [(len(stand_in.history),)]
    user_pages = [r for r in stand_in.requests if r == "GET /api/4.0/users"]
    assert len(user_pages) == -(-len(stand_in.users) // 25)  # paged with limit/offset
    stand_in.touch("dashboard", next(iter(stand_in.dashboards)))
    stand_in.requests.clear()
    pipeline.run(looker_source(history_page_size=700))
    assert rows(pipeline, "select count(*), count(distinct history_id) from history") == [
        (len(stand_in.history), len(stand_in.history))
    ]
    assert stand_in.requests.count("POST /api/4.0/queries/run/json") == 1  # only new rows
    assert stand_in.problems == []


@pytest.mark.fault("outage", "Looker answering 500", "retried; persistent errors named")
def test_transient_errors_are_retried_and_persistent_ones_named(looker, pipeline):
    looker.stand_in.fail_next = [429, 503]
    pipeline.run(looker_source(history_page_size=5000))
    assert rows(pipeline, "select count(*) > 0 from history") == [(True,)]
    looker.stand_in.fail_next = [500] * 20
    with pytest.raises(Exception, match=r"looker search dashboards: .*Internal Server Error"):
        pipeline.run(looker_source(max_attempts=2))
