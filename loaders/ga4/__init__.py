"""dlt source `ga4`: Google Analytics 4 reports through the official Data API client.

Each configured report (name, dimensions, metrics) becomes table raw_ga4.<name>, one column
per dimension and metric (snake_case), metric values typed from the response's metric
headers. The time dimension (`date` or `dateHour`) is required. Paging: offset/limit until
`rowCount` rows have come. Incremental: the last loaded date is kept in dlt state; the next
run starts `lookback_days` (default 3) before it and the table is merged with a dlt
`merge_key` on the time dimension, so revised days replace their earlier rows instead of
adding to them. A failed page fails the whole report before anything is loaded.

Settings (sources.ga4.*): property_id, reports, start_date (first run, YYYY-MM-DD, default
90 days ago), lookback_days, page_size, and for a stand-in or proxy api_endpoint
("host:port") and url_scheme. Credentials: sources.ga4.credentials, the service-account
JSON (as a TOML table or a JSON string); not needed with an api_endpoint stand-in.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

import dlt
import pyarrow as pa
from dlt.extract import DltResource
from google.analytics.data_v1beta import BetaAnalyticsDataClient
from google.analytics.data_v1beta.services.beta_analytics_data.transports import (
    BetaAnalyticsDataRestTransport,
)
from google.analytics.data_v1beta.types import (
    DateRange,
    Dimension,
    Metric,
    MetricType,
    RunReportRequest,
    RunReportResponse,
)
from google.api_core import exceptions as google_errors
from google.api_core import retry as google_retry
from google.auth.credentials import AnonymousCredentials
from google.protobuf import json_format

TIME_DIMENSIONS = ("dateHour", "date")
INTEGER_TYPES = {MetricType.TYPE_INTEGER}
SCOPES = ["https://www.googleapis.com/auth/analytics.readonly"]
RETRYABLE = (
    google_errors.TooManyRequests,
    google_errors.InternalServerError,
    google_errors.ServiceUnavailable,
    google_errors.GatewayTimeout,
)


class Ga4ReportError(RuntimeError):
    """A report that cannot be loaded as it came back; the message names it."""


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).replace(":", "_").lower()


def make_client(
    credentials: Any, api_endpoint: str | None, url_scheme: str
) -> BetaAnalyticsDataClient:
    if credentials:
        from google.oauth2 import service_account

        info = json.loads(credentials) if isinstance(credentials, str) else dict(credentials)
        creds = service_account.Credentials.from_service_account_info(info, scopes=SCOPES)
    elif api_endpoint:
        creds = AnonymousCredentials()
    else:
        raise ValueError(
            "set sources.ga4.credentials (SOURCES__GA4__CREDENTIALS, service-account JSON) "
            "or sources.ga4.api_endpoint for a stand-in"
        )
    transport = BetaAnalyticsDataRestTransport(
        host=api_endpoint or "analyticsdata.googleapis.com",
        credentials=creds,
        url_scheme=url_scheme,
    )
    return BetaAnalyticsDataClient(transport=transport)


def page_to_arrow(report: str, response: RunReportResponse, offset: int) -> pa.Table:
    """One response page as columns: dimensions typed (date, timestamp, text), metrics
    typed from the metric headers (integer or double)."""
    columns: dict[str, pa.Array] = {}
    for i, header in enumerate(response.dimension_headers):
        values = [row.dimension_values[i].value for row in response.rows]
        if header.name == "date":
            columns["date"] = pa.array(
                [dt.datetime.strptime(v, "%Y%m%d").date() for v in values], pa.date32()
            )
        elif header.name == "dateHour":
            columns["date_hour"] = pa.array(
                [dt.datetime.strptime(v, "%Y%m%d%H") for v in values], pa.timestamp("us")
            )
        else:
            columns[snake(header.name)] = pa.array(values, pa.string())
    for i, header in enumerate(response.metric_headers):
        raw = [row.metric_values[i].value for row in response.rows]
        try:
            numbers = [float(v) for v in raw]
        except ValueError as exc:
            raise Ga4ReportError(
                f"ga4 report {report!r}: metric {header.name} has a non-numeric value "
                f"near row {offset} ({exc})"
            ) from exc
        if any(n != n for n in numbers):  # NaN
            raise Ga4ReportError(f"ga4 report {report!r}: metric {header.name} returned NaN")
        if header.type_ in INTEGER_TYPES:
            columns[snake(header.name)] = pa.array([int(n) for n in numbers], pa.int64())
        else:
            columns[snake(header.name)] = pa.array(numbers, pa.float64())
    return pa.table(columns)


def report_resource(
    client: BetaAnalyticsDataClient,
    property_id: str,
    report: dict[str, Any],
    first_date: dt.date,
    lookback_days: int,
    page_size: int,
    retry: google_retry.Retry,
) -> DltResource:
    name, dimensions, metrics = report["name"], report["dimensions"], report["metrics"]
    time_dimension = next((d for d in TIME_DIMENSIONS if d in dimensions), None)
    if time_dimension is None:
        raise ValueError(f"sources.ga4.reports: report {name!r} needs a date or dateHour dimension")
    merge_key = snake(time_dimension)

    @dlt.resource(name=name, write_disposition="merge", merge_key=merge_key)
    def rows() -> Iterator[pa.Table]:
        state = dlt.current.resource_state()
        today = dt.datetime.now(dt.UTC).date()
        start = first_date
        if "last_date" in state:
            last = dt.date.fromisoformat(state["last_date"])
            start = max(first_date, last - dt.timedelta(days=lookback_days))
        offset = 0
        while True:
            request = RunReportRequest(
                property=f"properties/{property_id}",
                dimensions=[Dimension(name=d) for d in dimensions],
                metrics=[Metric(name=m) for m in metrics],
                date_ranges=[DateRange(start_date=start.isoformat(), end_date="today")],
                offset=offset,
                limit=page_size,
            )
            try:
                response = client.run_report(request=request, retry=retry, timeout=60)
            except (google_errors.GoogleAPICallError, google_errors.RetryError) as exc:
                last = exc.cause if isinstance(exc, google_errors.RetryError) else exc
                gave_up = " (after retries)" if last is not exc else ""
                raise Ga4ReportError(
                    f"ga4 report {name!r} (property {property_id}): "
                    f"{getattr(last, 'code', '')} {getattr(last, 'message', last)}{gave_up}"
                ) from exc
            except json_format.Error as exc:  # a proxy or a cut connection garbled the answer
                raise Ga4ReportError(
                    f"ga4 report {name!r} (property {property_id}): the answer at offset "
                    f"{offset} is not a RunReportResponse ({exc}); nothing loaded"
                ) from exc
            got = len(response.rows)
            if offset + got < response.row_count and got < page_size:
                raise Ga4ReportError(
                    f"ga4 report {name!r}: page at offset {offset} has {got} rows but "
                    f"rowCount {response.row_count} promises {page_size}; nothing loaded"
                )
            if got:
                yield page_to_arrow(name, response, offset)
            offset += got
            if offset >= response.row_count or got == 0:
                break
        state["last_date"] = today.isoformat()

    return rows


@dlt.source(name="ga4")
def ga4_source(
    property_id: str = dlt.config.value,
    reports: Sequence[dict[str, Any]] = dlt.config.value,
    credentials: Any = None,  # sources.ga4.credentials: service-account JSON
    api_endpoint: str | None = None,
    url_scheme: str = "https",
    start_date: str | None = None,
    lookback_days: int = 3,
    page_size: int = 10_000,
    retry_timeout_seconds: float = 60.0,
) -> Iterator[DltResource]:
    if not str(property_id).strip().isdigit():
        raise ValueError(f"sources.ga4.property_id must be numeric; got {property_id!r}")
    if lookback_days < 0 or not 1 <= page_size <= 250_000:
        raise ValueError(
            "sources.ga4.lookback_days must be >= 0 and sources.ga4.page_size in 1..250000"
        )
    try:
        first = (
            dt.date.fromisoformat(start_date)
            if start_date
            else dt.datetime.now(dt.UTC).date() - dt.timedelta(days=90)
        )
    except ValueError as exc:
        raise ValueError(f"sources.ga4.start_date must be YYYY-MM-DD; got {start_date!r}") from exc
    client = make_client(credentials, api_endpoint, url_scheme)
    retry = google_retry.Retry(
        predicate=google_retry.if_exception_type(*RETRYABLE),
        initial=0.2,
        maximum=5.0,
        timeout=retry_timeout_seconds,
    )
    for report in reports:
        missing = {"name", "dimensions", "metrics"} - set(report)
        if missing:
            raise ValueError(f"sources.ga4.reports: {report!r} lacks {', '.join(sorted(missing))}")
        yield report_resource(
            client, str(property_id), dict(report), first, lookback_days, page_size, retry
        )
