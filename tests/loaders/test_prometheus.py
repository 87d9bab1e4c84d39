"""The Prometheus loader against a real Prometheus (apt package), started on a free port."""

from __future__ import annotations

import math
import time

import dlt
import pytest

import loaders.prometheus as prom
from loaders.prometheus import PrometheusError, prometheus_source, windows
from sandbox.services import prometheus


@pytest.fixture(scope="module")
def prometheus_url(tmp_path_factory):
    with prometheus(tmp_path_factory.mktemp("prometheus"), scrape_seconds=1, min_samples=8) as url:
        yield url


@pytest.fixture
def pipeline(tmp_path) -> dlt.Pipeline:
    return dlt.pipeline(
        pipeline_name="test_prometheus",
        pipelines_dir=str(tmp_path / "state"),
        destination=dlt.destinations.duckdb(str(tmp_path / "raw.duckdb")),
        dataset_name="raw_prometheus",
    )


@pytest.fixture
def asked(monkeypatch) -> list[tuple[str, float, float]]:
    """Every range the loader asks the real server for."""
    calls: list[tuple[str, float, float]] = []
    real = prom.query_range

    def recording(session, base_url, query, start, end, *args):
        calls.append((query["name"], start, end))
        return real(session, base_url, query, start, end, *args)

    monkeypatch.setattr(prom, "query_range", recording)
    return calls


def source(url: str, *queries: dict, **settings):
    defaults = {"initial_lookback_hours": 0.05, "settle_seconds": 1, "max_attempts": 2}
    return prometheus_source(base_url=url, queries=list(queries), **{**defaults, **settings})


UP = {"name": "up", "promql": "up", "metric_name": "service_up_{job}", "step": 1}


def rows(pipeline, sql):
    with pipeline.sql_client() as client:
        return [tuple(r) for r in client.execute_sql(sql)]


def test_loads_real_series_and_a_second_run_asks_only_for_the_new_range(
    pipeline, prometheus_url, asked
):
    pipeline.run(source(prometheus_url, UP))
    first_end = asked[-1][2]
    ((count, name, labels),) = rows(
        pipeline, "select count(*), min(metric_name), min(labels) from samples"
    )
    assert count > 0 and name == "service_up_prometheus" and labels.startswith("instance=")
    time.sleep(2.5)
    asked.clear()
    pipeline.run(source(prometheus_url, UP))
    assert asked and asked[0][1] == first_end + 1  # one step after the last window
    assert rows(pipeline, "select count(*) = count(distinct _sample_key) from samples") == [(True,)]


@pytest.mark.fault("rerun", "Prometheus window loaded 3 times", "no duplicates")
def test_same_window_loaded_three_times_has_no_duplicates(pipeline, prometheus_url, tmp_path):
    for n in range(3):
        fresh = dlt.pipeline(
            pipeline_name=f"p{n}",
            pipelines_dir=str(tmp_path / f"s{n}"),
            destination=dlt.destinations.duckdb(str(tmp_path / "same.duckdb")),
            dataset_name="raw_prometheus",
        )
        fresh.run(source(prometheus_url, {**UP, "step": 5}, initial_lookback_hours=0.01))
    assert rows(fresh, "select count(*) = count(distinct _sample_key) from samples") == [(True,)]


def test_windows_never_exceed_the_point_limit():
    parts = windows(0, 30_000, 1, 11_000)
    assert parts == [(0, 10_999), (11_000, 21_999), (22_000, 30_000)]
    assert all((end - start) / 1 + 1 <= 11_000 for start, end in parts)
    assert windows(10, 5, 1, 11_000) == []


def test_long_ranges_are_split_and_the_server_limit_is_real(pipeline, prometheus_url, asked):
    pipeline.run(source(prometheus_url, UP, initial_lookback_hours=0.01, max_points=5))
    assert len(asked) >= 5
    assert all((end - start) + 1 <= 5 for _, start, end in asked)
    with pytest.raises(Exception, match="11,000 points"):  # Prometheus itself refuses more
        prom.query_range(prom.requests.Session(), prometheus_url, UP, 0, 20_000, 10, 1)


@pytest.mark.fault("bad input", "Prometheus bad_data (broken PromQL)", "error names the query")
def test_bad_queries_are_reported_with_the_query(pipeline, prometheus_url):
    with pytest.raises(Exception, match=r"prometheus query 'broken' \(sum\(\): bad_data"):
        pipeline.run(source(prometheus_url, {**UP, "name": "broken", "promql": "sum("}))


@pytest.mark.fault(
    "bad input",
    "Prometheus empty result and NaN samples",
    "nothing loaded / NaN marked for rejection",
)
def test_empty_results_load_nothing_and_nan_is_marked(pipeline, prometheus_url):
    nothing = {**UP, "name": "none", "promql": "no_such_metric", "metric_name": "none"}
    nan = {**UP, "name": "nan", "promql": "vector(0) / 0", "metric_name": "ratio"}
    pipeline.run(source(prometheus_url, nothing, nan))
    statuses = rows(pipeline, "select distinct value_status, value is null from samples")
    assert statuses == [("nan", True)]
    assert rows(pipeline, "select count(*) from samples where query_name = 'none'") == [(0,)]
    assert "none" in pipeline.state["sources"]["prometheus"]["resources"]["samples"]["cursors"]


@pytest.mark.fault("outage", "Prometheus down", "bounded retries, clear error")
def test_a_down_server_fails_after_bounded_retries_with_a_clear_error(pipeline):
    with pytest.raises(
        Exception, match=r"Prometheus at http://127\.0\.0\.1:9 did not answer after 2"
    ):
        pipeline.run(source("http://127.0.0.1:9", UP))


@pytest.mark.fault("outage", "Prometheus answering 5xx", "retried, then reported")
def test_5xx_is_retried_then_reported(pipeline, httpserver):
    httpserver.expect_request("/api/v1/query_range").respond_with_json(
        {"status": "error", "errorType": "unavailable", "error": "busy"}, status=503
    )
    with pytest.raises(Exception, match="unavailable: busy \\(HTTP 503\\)"):
        pipeline.run(source(httpserver.url_for("/"), UP))
    assert len(httpserver.log) == 2  # max_attempts


def test_a_series_with_gaps_keeps_exactly_the_points_it_has(pipeline, httpserver):
    now = math.floor(time.time()) - 10
    values = [[now - 100, "1"], [now - 99, "1"], [now - 50, "0"]]  # a gap of 49 s
    httpserver.expect_request("/api/v1/query_range").respond_with_json(
        {
            "status": "success",
            "data": {
                "resultType": "matrix",
                "result": [{"metric": {"job": "a"}, "values": values}],
            },
        }
    )
    pipeline.run(source(httpserver.url_for("/"), UP, initial_lookback_hours=0.05))
    assert rows(pipeline, "select count(*), sum(value) from samples") == [(3, 2.0)]


def test_settings_are_checked_and_named():
    with pytest.raises(ValueError, match="base_url needs http"):
        prometheus_source(base_url="localhost:9090", queries=[UP])
    with pytest.raises(ValueError, match="lacks promql"):
        prometheus_source(
            base_url="http://x", queries=[{"name": "a", "metric_name": "a", "step": 1}]
        )
    with pytest.raises(PrometheusError, match="uses label 'code'"):
        prom.series_to_arrow(
            {**UP, "metric_name": "x_{code}"}, [{"metric": {}, "values": [[1, "1"]]}]
        )
