"""dlt source `looker`: BI metadata and access history from the Looker API (looker-sdk).

Credentials come from LOOKERSDK_BASE_URL / LOOKERSDK_CLIENT_ID / LOOKERSDK_CLIENT_SECRET
(and LOOKERSDK_VERIFY_SSL), as looker_sdk.init40() reads them.

- dashboards, looks (including those in Trash: deleted, deleted_at), dashboard_elements
  (which look sits on which dashboard), folders, users (paged with limit/offset): the
  current picture, replaced on every load.
- history: System Activity (model system__activity, view history) through
  run_inline_query, paged on history.id > the last id loaded (kept in dlt state) and merged
  on history_id. Looker keeps history ~90 days; run this daily and the warehouse keeps it
  for as long as you like.
Searches and history are paged with limit/offset until an empty page (a server may cap a
page below the limit asked); an item in both the live and the Trash search is kept once, as
Trash has it. Transient API failures (429 after its Retry-After, 5xx, connection errors)
are retried by HTTP status, `max_attempts` times (loaders/looker/api.py).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import dlt
import pyarrow as pa
from dlt.extract import DltResource
from looker_sdk import models40 as models

from loaders.looker.api import connect

T = TypeVar("T")
HISTORY_FIELDS = [
    "history.id",
    "history.created_time",
    "history.source",
    "dashboard.id",
    "look.id",
    "user.id",
]
CONTENT_FIELDS = (
    "id", "title", "user_id", "created_at", "updated_at", "deleted", "deleted_at",
    "favorite_count", "view_count", "last_viewed_at", "last_accessed_at", "folder_id",
)  # fmt: skip


def as_utc(value: Any) -> Any:
    """SDK datetimes as naive UTC (the warehouse convention); other values unchanged."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    return value


# Explicit types: a first load with an empty Trash (no deleted_at anywhere) or no views
# yet must still give every column its type.
CONTENT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("title", pa.string()),
        ("user_id", pa.string()),
        ("created_at", pa.timestamp("us")),
        ("updated_at", pa.timestamp("us")),
        ("deleted", pa.bool_()),
        ("deleted_at", pa.timestamp("us")),
        ("favorite_count", pa.int64()),
        ("view_count", pa.int64()),
        ("last_viewed_at", pa.timestamp("us")),
        ("last_accessed_at", pa.timestamp("us")),
        ("folder_id", pa.string()),
        ("content_type", pa.string()),
        ("folder_name", pa.string()),
    ]
)


def content_rows(items: list[Any], kind: str) -> list[dict[str, Any]]:
    rows = []
    for item in items:
        row = {name: as_utc(getattr(item, name, None)) for name in CONTENT_FIELDS}
        row["content_type"] = kind
        row["folder_name"] = item.folder.name if getattr(item, "folder", None) else None
        rows.append(row)
    return rows


def content_table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=CONTENT_SCHEMA)


@dlt.source(name="looker")
def looker_source(
    history_page_size: int = 5000,
    users_page_size: int = 500,
    search_page_size: int = 500,
    max_attempts: int = 4,
) -> Iterator[DltResource]:
    looker = connect()
    sdk = looker.sdk

    def api(call: Callable[[], T], what: str) -> T:
        return looker.call(call, what, max_attempts)

    def search(kind: str) -> list[Any]:
        """Live and Trash, every page (limit/offset until an empty page: a server may cap
        a page below the limit asked), one row per item: an item moved to Trash between
        the two searches is kept as Trash has it."""
        find = sdk.search_dashboards if kind == "dashboard" else sdk.search_looks
        found: dict[str, Any] = {}
        for deleted in (False, True):
            offset = 0
            while True:
                page = api(
                    lambda d=deleted, o=offset: find(
                        deleted=d, limit=search_page_size, offset=o, sorts="id"
                    ),
                    f"search {kind}s (deleted={deleted}, offset {offset})",
                )
                if not page:
                    break
                found.update({str(item.id): item for item in page})
                offset += len(page)
        return list(found.values())

    dashboards = search("dashboard")
    looks = search("look")

    @dlt.resource(name="content", write_disposition="replace")
    def content() -> Iterator[pa.Table]:
        yield content_table(content_rows(dashboards, "dashboard") + content_rows(looks, "look"))

    @dlt.resource(name="dashboard_elements", write_disposition="replace")
    def dashboard_elements() -> Iterator[pa.Table]:
        rows = [
            {"element_id": e.id, "dashboard_id": d.id, "look_id": e.look_id}
            for d in dashboards
            for e in d.dashboard_elements or []
        ]
        schema = pa.schema(
            [("element_id", pa.string()), ("dashboard_id", pa.string()), ("look_id", pa.string())]
        )
        yield pa.Table.from_pylist(rows, schema=schema)

    @dlt.resource(name="folders", write_disposition="replace")
    def folders() -> Iterator[pa.Table]:
        seen = {i.folder.id: i.folder.name for i in dashboards + looks if i.folder}
        yield pa.table({"folder_id": list(seen), "folder_name": list(seen.values())})

    @dlt.resource(name="users", write_disposition="replace")
    def users() -> Iterator[pa.Table]:
        offset = 0
        while True:
            page = api(lambda o=offset: sdk.all_users(limit=users_page_size, offset=o), "all_users")
            if not page:
                break
            yield pa.Table.from_pylist(
                [
                    {
                        "id": u.id,
                        "email": u.email,
                        "display_name": u.display_name,
                        "is_disabled": bool(u.is_disabled),
                    }
                    for u in page
                ]
            )
            offset += len(page)

    @dlt.resource(name="history", write_disposition="merge", primary_key="history_id")
    def history() -> Iterator[pa.Table]:
        state = dlt.current.resource_state()
        last_id = int(state.get("last_history_id", 0))
        while True:
            query = models.WriteQuery(
                model="system__activity",
                view="history",
                fields=HISTORY_FIELDS,
                filters={"history.id": f">{last_id}"},
                sorts=["history.id"],
                limit=str(history_page_size),
            )
            rows = api(lambda q=query: sdk.run_inline_query("json", q), "history query")
            page = json.loads(rows) if isinstance(rows, str) else rows
            if not page:
                break
            yield pa.table(
                {
                    "history_id": pa.array([r["history.id"] for r in page], pa.int64()),
                    "created_at": pa.array([r["history.created_time"] for r in page]).cast(
                        pa.timestamp("us")
                    ),
                    "source": pa.array([r.get("history.source") for r in page], pa.string()),
                    "dashboard_id": pa.array(
                        [
                            None if r["dashboard.id"] is None else str(r["dashboard.id"])
                            for r in page
                        ],
                        pa.string(),
                    ),
                    "look_id": pa.array(
                        [None if r["look.id"] is None else str(r["look.id"]) for r in page],
                        pa.string(),
                    ),
                    "user_id": pa.array(
                        [None if r["user.id"] is None else str(r["user.id"]) for r in page],
                        pa.string(),
                    ),
                }
            )
            last_id = page[-1]["history.id"]
            state["last_history_id"] = last_id
            # only an empty page ends the history: a server may cap a page below the limit

    yield from (content, dashboard_elements, folders, users, history)
