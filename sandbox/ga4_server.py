"""Local stand-in for the GA4 Data API v1beta `runReport` (REST), for the demo and tests.

No GA4 property can be reached here. This server answers
`POST /v1beta/properties/{property}:runReport` the way the real API does: the request body
is parsed into the official `RunReportRequest` message (unknown fields are refused with
HTTP 400 INVALID_ARGUMENT, as Google does) and every answer is built as a
`RunReportResponse` message, so both follow the protos in specs/ga4/.

It serves deterministic generated traffic: channels, new vs returning users, sessions,
sign_up and activation events, with weekly seasonality. Knobs for tests: `revision` (bump it
to revise the last `revision_days` days, as GA4 does while data settles), `fail_next`
(answer the next N requests with a status, e.g. 429 or 500, or "garbled": cut-off JSON)
and `short_pages` (drop rows from pages while keeping rowCount, like a truncated response).

    python -m sandbox.ga4_server --port 8765
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import math
from dataclasses import dataclass, field

from google.analytics.data_v1beta.types import (
    DimensionHeader,
    DimensionValue,
    MetricHeader,
    MetricType,
    MetricValue,
    ResponseMetaData,
    Row,
    RunReportRequest,
    RunReportResponse,
)
from google.protobuf import json_format
from werkzeug.wrappers import Request, Response

from sandbox.clock import as_of_moment
from sandbox.serving import BackgroundServer

CHANNELS = {
    "Organic Search": 420,
    "Direct": 260,
    "Paid Search": 180,
    "Referral": 90,
    "Email": 60,
    "Organic Social": 70,
}
EVENTS = ("sign_up", "activation", "page_view")
NEW_VS_RETURNING = ("new", "returning")
WEEKDAY = (1.1, 1.15, 1.12, 1.08, 1.0, 0.7, 0.65)
HOUR_SHAPE = [0.3] * 6 + [0.8, 1.2, 1.5, 1.6, 1.6, 1.5, 1.4, 1.5, 1.6, 1.5, 1.3, 1.1] + [0.9] * 6
DIMENSIONS = {"date", "dateHour", "sessionDefaultChannelGroup", "newVsReturning", "eventName"}
METRICS = {
    "sessions": MetricType.TYPE_INTEGER,
    "activeUsers": MetricType.TYPE_INTEGER,
    "newUsers": MetricType.TYPE_INTEGER,
    "eventCount": MetricType.TYPE_INTEGER,
    "engagementRate": MetricType.TYPE_FLOAT,
}
MAX_LIMIT = 250_000  # the API's own maximum page size


def jitter(*key: object) -> float:
    """A deterministic number in [0.85, 1.15) for a key (same key, same number)."""
    digest = hashlib.sha256(repr(key).encode()).digest()
    return 0.85 + 0.3 * int.from_bytes(digest[:4], "big") / 2**32


@dataclass
class Ga4StandIn:
    revision: int = 0
    revision_days: int = 2
    now: dt.datetime = field(default_factory=as_of_moment)  # the run's as-of moment, UTC
    fail_next: list[int | str] = field(default_factory=list)
    short_pages: bool = False
    requests: list[dict] = field(default_factory=list)
    _cache: dict = field(default_factory=dict, repr=False)

    def value(self, metric: str, day: dt.date, hour: int | None, dims: dict[str, str]) -> float:
        channel = dims.get("sessionDefaultChannelGroup")
        weight = CHANNELS[channel] / sum(CHANNELS.values()) if channel else 1.0
        nvr = dims.get("newVsReturning")
        share = {"new": 0.45, "returning": 0.55}.get(nvr, 1.0)
        scale = WEEKDAY[day.weekday()] * (HOUR_SHAPE[hour] / 24 if hour is not None else 1.0)
        now = self.now
        if hour is None and day == now.date():  # today so far, as GA4 reports it
            scale *= sum(HOUR_SHAPE[: now.hour + 1]) / sum(HOUR_SHAPE)
        revised = self.revision if (self.now.date() - day).days < self.revision_days else 0
        noise = jitter(metric, day, hour, sorted(dims.items()), revised)
        base = {
            "sessions": 1000,
            "activeUsers": 800,
            "newUsers": 800 * 0.45 / share if nvr else 360,
            "eventCount": {"sign_up": 40, "activation": 14, "page_view": 5200}.get(
                dims.get("eventName", "page_view"), 5200
            ),
        }
        if metric == "engagementRate":
            return round(0.55 * noise, 4)
        if metric == "newUsers" and nvr == "returning":
            return 0
        return math.floor(base[metric] * weight * share * scale * noise)

    def rows(self, request: RunReportRequest) -> tuple[list[str], list[Row]]:
        dims = [d.name for d in request.dimensions]
        (date_range,) = request.date_ranges
        start = dt.date.fromisoformat(resolve(date_range.start_date, self.now.date()))
        end = dt.date.fromisoformat(resolve(date_range.end_date, self.now.date()))
        hourly = "dateHour" in dims
        axes = []
        for name in dims:
            if name in ("date", "dateHour"):
                axes.append([name])
            elif name == "sessionDefaultChannelGroup":
                axes.append(list(CHANNELS))
            elif name == "newVsReturning":
                axes.append(list(NEW_VS_RETURNING))
            else:
                axes.append(list(EVENTS))
        out = []
        day = start
        now = self.now
        while day <= end:
            last_hour = now.hour if day == now.date() else 23  # no future hours, as GA4
            for hour in range(last_hour + 1) if hourly else [None]:
                for combo in itertools.product(*axes):
                    values = dict(zip(dims, combo, strict=True))
                    if hourly:
                        values["dateHour"] = f"{day:%Y%m%d}{hour:02d}"
                    if "date" in values:
                        values["date"] = f"{day:%Y%m%d}"
                    metrics = [self.value(m.name, day, hour, values) for m in request.metrics]
                    out.append(
                        Row(
                            dimension_values=[DimensionValue(value=values[d]) for d in dims],
                            metric_values=[MetricValue(value=f"{v:g}") for v in metrics],
                        )
                    )
            day += dt.timedelta(days=1)
        return dims, out

    def run_report(self, request: RunReportRequest) -> RunReportResponse:
        key = (
            tuple(d.name for d in request.dimensions),
            tuple(m.name for m in request.metrics),
            request.date_ranges[0].start_date,
            request.date_ranges[0].end_date,
            self.revision,
        )
        if key not in self._cache:  # pages of one report share one generated result
            self._cache = {key: self.rows(request)}
        dims, rows = self._cache[key]
        offset, limit = request.offset, request.limit or 10_000
        page = rows[offset : offset + limit]
        if self.short_pages and len(page) > 1:
            page = page[:-1]
        return RunReportResponse(
            dimension_headers=[DimensionHeader(name=d) for d in dims],
            metric_headers=[
                MetricHeader(name=m.name, type_=METRICS[m.name]) for m in request.metrics
            ],
            rows=page,
            row_count=len(rows),
            metadata=ResponseMetaData(currency_code="USD", time_zone="Etc/UTC"),
            kind="analyticsData#runReport",
        )

    def wsgi(self, environ, start_response):
        request = Request(environ)
        prefix, _, property_part = request.path.partition("/v1beta/properties/")
        if request.method != "POST" or prefix or not property_part.endswith(":runReport"):
            return error(404, "NOT_FOUND", f"no such method {request.path}")(
                environ, start_response
            )
        self.requests.append({"path": request.path, "body": request.get_data(as_text=True)})
        if self.fail_next and self.fail_next[0] == "garbled":
            self.fail_next.pop(0)
            return Response('{"dimensionHeaders": [{"name": "da', content_type="application/json")(
                environ, start_response
            )
        if self.fail_next:
            status = self.fail_next.pop(0)
            reason = "RESOURCE_EXHAUSTED" if status == 429 else "INTERNAL"
            return error(status, reason, "stand-in told to fail")(environ, start_response)
        message = RunReportRequest()
        try:
            json_format.Parse(request.get_data(as_text=True), message._pb)
            problem = validate(message)
        except json_format.ParseError as exc:
            problem = str(exc)
        if problem:
            return error(400, "INVALID_ARGUMENT", problem)(environ, start_response)
        body = json_format.MessageToJson(self.run_report(message)._pb)
        return Response(body, content_type="application/json")(environ, start_response)


def resolve(value: str, today: dt.date) -> str:
    if value == "today":
        return today.isoformat()
    if value == "yesterday":
        return (today - dt.timedelta(days=1)).isoformat()
    if value.endswith("daysAgo"):
        return (today - dt.timedelta(days=int(value.removesuffix("daysAgo")))).isoformat()
    return value


def validate(request: RunReportRequest) -> str | None:
    unknown = [d.name for d in request.dimensions if d.name not in DIMENSIONS]
    unknown += [m.name for m in request.metrics if m.name not in METRICS]
    if unknown:
        return f"Field {unknown[0]} is not a valid dimension or metric."
    if len(request.date_ranges) != 1:
        return "The stand-in serves exactly one date range."
    if request.limit < 0 or request.limit > MAX_LIMIT or request.offset < 0:
        return f"limit must be in [0, {MAX_LIMIT}] and offset >= 0."
    return None


def error(status: int, reason: str, message: str) -> Response:
    body = {"error": {"code": status, "message": message, "status": reason}}
    return Response(json_format.json.dumps(body), status=status, content_type="application/json")


class Ga4Server(BackgroundServer):
    """The stand-in on 127.0.0.1 in a background thread: `with Ga4Server() as server:`."""

    def __init__(self, port: int = 0, stand_in: Ga4StandIn | None = None) -> None:
        self.stand_in = stand_in or Ga4StandIn()
        super().__init__(self.stand_in.wsgi, port)
        self.host = f"127.0.0.1:{self.port}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = Ga4Server(args.port)
    print(f"GA4 stand-in on http://{server.host}")
    server.serve_forever()


if __name__ == "__main__":
    main()
