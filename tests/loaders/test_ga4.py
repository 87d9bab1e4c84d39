"""The GA4 loader through the official client, against the spec-checked local stand-in."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import dlt
import pytest
from google.analytics.data_v1beta.types import RunReportRequest
from google.protobuf import json_format

from loaders.ga4 import ga4_source
from sandbox.clock import as_of_moment
from sandbox.ga4_server import Ga4Server

SPEC = Path(__file__).parents[2] / "specs" / "ga4" / "analytics_data_api.proto"
DATA_SPEC = SPEC.with_name("data.proto")
NOW = as_of_moment()  # the stand-in's clock: the run's as-of moment
TODAY = NOW.date()
REPORTS = [
    {
        "name": "traffic",
        "dimensions": ["dateHour", "sessionDefaultChannelGroup"],
        "metrics": ["sessions", "engagementRate"],
    },
    {"name": "events", "dimensions": ["date", "eventName"], "metrics": ["eventCount"]},
]


@pytest.fixture
def server():
    with Ga4Server() as running:
        yield running


@pytest.fixture
def pipeline(tmp_path) -> dlt.Pipeline:
    return dlt.pipeline(
        pipeline_name="test_ga4",
        pipelines_dir=str(tmp_path / "state"),
        destination=dlt.destinations.duckdb(str(tmp_path / "raw.duckdb")),
        dataset_name="raw_ga4",
    )


def source(server: Ga4Server, days: int = 6, **overrides):
    settings = {
        "property_id": "42",
        "reports": REPORTS,
        "api_endpoint": server.host,
        "url_scheme": "http",
        "start_date": (TODAY - dt.timedelta(days=days)).isoformat(),
        "page_size": 100,
        "retry_timeout_seconds": 5,
        **overrides,
    }
    return ga4_source(**settings)


def rows(pipeline, sql):
    with pipeline.sql_client() as client:
        return [tuple(r) for r in client.execute_sql(sql)]


def bodies(server) -> list[dict]:
    return [json.loads(r["body"]) for r in server.stand_in.requests]


def test_pages_through_every_row_with_offset_and_limit(pipeline, server):
    pipeline.run(source(server))
    traffic = [b for b in bodies(server) if b["dimensions"][0]["name"] == "dateHour"]
    hours = 6 * 24 + NOW.hour + 1
    expected = hours * 6  # six channels
    assert len(traffic) == -(-expected // 100) >= 3  # several pages
    assert [int(b.get("offset", 0)) for b in traffic] == list(range(0, expected, 100))
    assert {b["limit"] for b in traffic} == {"100"}
    assert rows(pipeline, "select count(*) from traffic") == [(expected,)]
    types = dict(
        rows(
            pipeline,
            "select column_name, data_type from information_schema.columns "
            "where table_name = 'traffic'",
        )
    )
    assert types["sessions"] == "BIGINT" and types["engagement_rate"] == "DOUBLE"


@pytest.mark.fault(
    "rerun", "GA4 re-run inside the 3-day look-back", "revised days replaced, no duplicates"
)
def test_rerun_inside_lookback_replaces_revised_values_without_duplicates(pipeline, server):
    pipeline.run(source(server))
    before = dict(rows(pipeline, "select date, sum(event_count) from events group by date"))
    server.stand_in.revision = 1  # GA4 revises the last 2 days
    server.stand_in.requests.clear()
    pipeline.run(source(server))
    asked = {b["dateRanges"][0]["startDate"] for b in bodies(server)}
    assert asked == {(TODAY - dt.timedelta(days=3)).isoformat()}  # 3-day look-back only
    after = dict(rows(pipeline, "select date, sum(event_count) from events group by date"))
    assert after.keys() == before.keys()
    changed = {d for d in after if after[d] != before[d]}
    assert changed and all((TODAY - d).days < 2 for d in changed)
    assert rows(pipeline, "select count(*) = count(distinct date || event_name) from events") == [
        (True,)
    ]


@pytest.mark.fault("outage", "GA4 answering 429, 500, 503", "retried, then loads")
def test_rate_limits_and_server_errors_are_retried(pipeline, server):
    server.stand_in.fail_next = [429, 500, 503]
    pipeline.run(source(server, days=1))
    assert rows(pipeline, "select count(*) > 0 from events") == [(True,)]


@pytest.mark.fault(
    "outage", "GA4 answering 500 for good", "bounded retries, error names the report, old data kept"
)
def test_a_failing_server_fails_cleanly_naming_the_report_and_keeps_old_data(pipeline, server):
    pipeline.run(source(server, days=1))
    before = rows(pipeline, "select count(*) from traffic")
    server.stand_in.fail_next = [500] * 200
    with pytest.raises(Exception, match=r"ga4 report 'traffic' \(property 42\): 500"):
        pipeline.run(source(server, days=1, retry_timeout_seconds=1))
    assert rows(pipeline, "select count(*) from traffic") == before


@pytest.mark.fault(
    "bad input", "GA4 answer is broken JSON", "error names the report, nothing loaded"
)
def test_a_garbled_answer_stops_the_report_by_name_and_loads_nothing(pipeline, server):
    server.stand_in.fail_next = ["garbled"]
    with pytest.raises(Exception, match=r"ga4 report 'traffic' .* not a RunReportResponse"):
        pipeline.run(source(server, days=1))
    with pytest.raises(Exception):  # noqa: B017 - no table was ever created
        rows(pipeline, "select count(*) from traffic")


@pytest.mark.fault("bad input", "GA4 page shorter than rowCount promises", "nothing loaded")
def test_a_page_shorter_than_row_count_promises_loads_nothing(pipeline, server):
    server.stand_in.short_pages = True
    with pytest.raises(Exception, match=r"rowCount .* promises 100; nothing loaded"):
        pipeline.run(source(server))
    with pytest.raises(Exception):  # noqa: B017 - no table was ever created
        rows(pipeline, "select count(*) from traffic")


def test_settings_are_checked_and_named(server):
    with pytest.raises(Exception, match="property_id must be numeric"):
        source(server, property_id="props/1")
    with pytest.raises(Exception, match="needs a date or dateHour dimension"):
        source(
            server, reports=[{"name": "x", "dimensions": ["eventName"], "metrics": ["eventCount"]}]
        )
    with pytest.raises(Exception, match=r"sources\.ga4\.credentials"):
        source(server, api_endpoint=None)


def proto_fields(path: Path, message: str) -> set[str]:
    text = path.read_text()
    body = re.search(rf"message {message} {{(.*?)\n}}", text, re.S)[1]
    return {m for m in re.findall(r"^\s+(?:repeated |optional )?\w[\w.]* (\w+) = \d+", body, re.M)}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def test_requests_and_responses_follow_the_official_spec(pipeline, server):
    pipeline.run(source(server, days=1))
    allowed = {camel(f) for f in proto_fields(SPEC, "RunReportRequest")}
    for body in bodies(server):
        assert set(body) - {"property"} <= allowed  # property travels in the URL too
        json_format.ParseDict(body, RunReportRequest()._pb)  # strict: unknown fields fail
    request = RunReportRequest(**{"property": "properties/42", "limit": 5})
    request.dimensions.append({"name": "date"})
    request.metrics.append({"name": "sessions"})
    request.date_ranges.append({"start_date": "yesterday", "end_date": "today"})
    response = server.stand_in.run_report(request)
    answer = json.loads(json_format.MessageToJson(response._pb))
    assert set(answer) <= {camel(f) for f in proto_fields(SPEC, "RunReportResponse")}
    row_fields = {camel(f) for f in proto_fields(DATA_SPEC, "Row")}
    assert all(set(row) <= row_fields for row in answer["rows"])
    assert int(answer["rowCount"]) == 2 and len(answer["rows"]) == 2


@pytest.mark.fault("bad input", "GA4 non-numeric and NaN metric values", "report stops by name")
def test_non_numeric_and_nan_metric_values_stop_the_report_by_name():
    from google.analytics.data_v1beta.types import (
        DimensionHeader,
        DimensionValue,
        MetricHeader,
        MetricType,
        MetricValue,
        Row,
        RunReportResponse,
    )

    from loaders.ga4 import Ga4ReportError, page_to_arrow

    def response(value: str) -> RunReportResponse:
        return RunReportResponse(
            dimension_headers=[DimensionHeader(name="date")],
            metric_headers=[MetricHeader(name="sessions", type_=MetricType.TYPE_INTEGER)],
            rows=[
                Row(
                    dimension_values=[DimensionValue(value="20260301")],
                    metric_values=[MetricValue(value=value)],
                )
            ],
            row_count=1,
        )

    assert page_to_arrow("traffic", response("12"), 0).column("sessions").to_pylist() == [12]
    with pytest.raises(Ga4ReportError, match="report 'traffic': metric sessions has a non-numeric"):
        page_to_arrow("traffic", response("twelve"), 0)
    with pytest.raises(Ga4ReportError, match="metric sessions returned NaN"):
        page_to_arrow("traffic", response("NaN"), 0)
