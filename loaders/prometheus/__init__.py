"""dlt source `prometheus`: range queries from the Prometheus HTTP API into raw_prometheus.

Each configured query (name, promql, metric_name template, step seconds) is asked through
`GET /api/v1/query_range`, incrementally: dlt state keeps, per query, the end of the last
window loaded, and the next run starts one step after it (the first run starts
`initial_lookback_hours` ago). A window ends `settle_seconds` before now, so samples still
being ingested are read by the next run instead of being skipped for good. Windows are split
so no series exceeds `max_points` (Prometheus refuses more than 11,000 points per series).

Transient failures (connection errors, timeouts, HTTP 5xx) are retried `max_attempts` times
with backoff; `bad_data` and `execution` errors stop the load with the query named.
Responses become Arrow columns per series (no per-sample dicts); samples land in table
`samples`, merged on `_sample_key` (query, metric, labels, time), so re-running a window
never duplicates. `metric_name` may use labels, e.g. "http_requests_{code}"; labels are
stored as "name=value|..." sorted by name. For counters, use an increase() window equal to
the step so samples can be summed without overlap. NaN and +-Inf samples land with a null
value and value_status 'nan' / 'inf' (dbt rejects them by name).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator, Sequence
from typing import Any

import dlt
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import requests
from dlt.extract import DltResource

from loaders.keys import add_merge_key

LOG = logging.getLogger(__name__)
PROMETHEUS_MAX_POINTS = 11_000


class PrometheusError(RuntimeError):
    """A query Prometheus refused or could not answer; the message names it."""


def windows(start: float, end: float, step: int, max_points: int) -> list[tuple[float, float]]:
    """Split [start, end] into windows of at most max_points points per series."""
    span = step * (max_points - 1)
    out = []
    while start <= end:
        out.append((start, min(start + span, end)))
        start = out[-1][1] + step
    return out


def query_range(
    session: requests.Session,
    base_url: str,
    query: dict[str, Any],
    start: float,
    end: float,
    timeout: float,
    max_attempts: int,
) -> list[dict]:
    params = {"query": query["promql"], "start": start, "end": end, "step": query["step"]}
    where = f"prometheus query {query['name']!r} ({query['promql']})"
    for attempt in range(1, max_attempts + 1):
        try:
            response = session.get(
                f"{base_url.rstrip('/')}/api/v1/query_range", params=params, timeout=timeout
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            if attempt == max_attempts:
                raise PrometheusError(
                    f"{where}: Prometheus at {base_url} did not answer after {attempt} "
                    f"attempts ({type(exc).__name__})"
                ) from exc
        else:
            if response.status_code < 500 or attempt == max_attempts:
                try:
                    body = response.json()
                except ValueError as exc:
                    raise PrometheusError(
                        f"{where}: HTTP {response.status_code}, not a Prometheus API answer"
                    ) from exc
                if body.get("status") != "success":
                    raise PrometheusError(
                        f"{where}: {body.get('errorType', 'error')}: {body.get('error')} "
                        f"(HTTP {response.status_code})"
                    )
                if body["data"]["resultType"] != "matrix":
                    raise PrometheusError(f"{where}: expected a matrix result")
                return body["data"]["result"]
        time.sleep(min(0.5 * 2 ** (attempt - 1), 8))
    raise AssertionError("unreachable")


def label_key(labels: dict[str, str]) -> str:
    """Labels as a canonical text key, sorted: "code=500|handler=/api" (portable in SQL)."""
    return "|".join(f"{name}={labels[name]}" for name in sorted(labels))


def series_to_arrow(query: dict[str, Any], result: list[dict]) -> pa.Table | None:
    """Samples of every series as one Arrow table (columns built per series)."""
    parts = []
    for series in result:
        labels = dict(series["metric"])
        try:
            metric = query["metric_name"].format_map({"name": labels.get("__name__", ""), **labels})
        except KeyError as exc:
            raise PrometheusError(
                f"prometheus query {query['name']!r}: metric_name {query['metric_name']!r} "
                f"uses label {exc} that series {labels} lacks"
            ) from exc
        labels.pop("__name__", None)
        samples = series["values"]
        count = len(samples)
        if not count:
            continue
        pairs = np.asarray(samples, dtype=object)
        times = pairs[:, 0].astype(np.float64)
        values = pairs[:, 1].astype(str).astype(np.float64)  # "NaN", "+Inf" parse too
        finite = np.isfinite(values)
        status = np.where(finite, None, np.where(np.isnan(values), "nan", "inf"))
        parts.append(
            pa.table(
                {
                    "query_name": pa.array([query["name"]] * count, pa.string()),
                    "metric_name": pa.array([metric] * count, pa.string()),
                    "labels": pa.array([label_key(labels)] * count, pa.string()),
                    "sample_at": pa.array((times * 1e6).astype(np.int64), pa.timestamp("us")),
                    "value": pa.array(np.where(finite, values, 0.0), mask=~finite),
                    "value_status": pa.array(status.tolist(), pa.string()),
                }
            )
        )
    if not parts:
        return None
    table = pa.concat_tables(parts)
    table = table.append_column(
        "sample_at_text", pc.cast(pc.cast(table["sample_at"], pa.int64()), pa.string())
    )
    keyed = add_merge_key(
        table, ["query_name", "metric_name", "labels", "sample_at_text"], "_sample_key"
    )
    return keyed.drop_columns(["sample_at_text"])


@dlt.source(name="prometheus")
def prometheus_source(
    base_url: str = dlt.config.value,  # sources.prometheus.base_url
    queries: Sequence[dict[str, Any]] = dlt.config.value,
    initial_lookback_hours: float = 24,
    max_points: int = PROMETHEUS_MAX_POINTS,
    max_attempts: int = 3,
    timeout_seconds: float = 30,
    settle_seconds: float = 15,
) -> Iterator[DltResource]:
    if not base_url.startswith(("http://", "https://")):
        raise ValueError(f"sources.prometheus.base_url needs http(s)://; got {base_url!r}")
    if not 2 <= max_points <= PROMETHEUS_MAX_POINTS:
        raise ValueError(f"sources.prometheus.max_points must be 2..{PROMETHEUS_MAX_POINTS}")
    for query in queries:
        missing = {"name", "promql", "metric_name", "step"} - set(query)
        if missing:
            raise ValueError(
                f"sources.prometheus.queries: {dict(query)!r} lacks {', '.join(sorted(missing))}"
            )
        if int(query["step"]) <= 0:
            raise ValueError(f"sources.prometheus.queries: {query['name']!r} step must be > 0")

    @dlt.resource(name="samples", write_disposition="merge", merge_key="_sample_key")
    def samples() -> Iterator[pa.Table]:
        cursors = dlt.current.resource_state().setdefault("cursors", {})
        session = requests.Session()
        for raw_query in queries:
            query = {**raw_query, "step": int(raw_query["step"])}
            step = query["step"]
            # the newest `settle_seconds` are left for the next run: samples still being
            # ingested would otherwise be skipped for good by the cursor
            end = math.floor((time.time() - settle_seconds) / step) * step
            start = cursors.get(query["name"])
            start = start + step if start is not None else end - initial_lookback_hours * 3600
            for window_start, window_end in windows(start, end, step, max_points):
                result = query_range(
                    session,
                    base_url,
                    query,
                    window_start,
                    window_end,
                    timeout_seconds,
                    max_attempts,
                )
                table = series_to_arrow(query, result)
                if table is None:
                    LOG.info(
                        "prometheus query %s: no samples in [%s, %s]",
                        query["name"],
                        window_start,
                        window_end,
                    )
                else:
                    yield table
            if start <= end:
                cursors[query["name"]] = end

    yield samples
