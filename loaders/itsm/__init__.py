"""dlt source `itsm`: a ServiceNow-like incident event log, interventions and SLA definitions.

- incident: one row per update (`number`, `sys_mod_count`), from the ITSM database or from a
  CSV list export (`incident_csv`); incremental on `sys_updated_at`, merged with a dlt
  `merge_key` on `_event_key` ("number|sys_mod_count", see loaders/keys.py): re-loading
  replaces an update, never duplicates it, while duplicated rows inside one load and rows
  with a null number both land, so dbt rejects them visibly instead of losing them.
- intervention: scheduled site visits, merged on `id`, incremental on `sys_updated_at`.
- sla_definition: resolve-within hours per priority, replaced on every load.
Rows go to the destination as Arrow tables.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

import dlt
import pyarrow as pa
from dlt.common.configuration.specs import ConnectionStringCredentials
from dlt.extract import DltResource
from dlt.sources.sql_database import sql_table

from loaders.itsm.servicenow_csv import read_servicenow_csv
from loaders.keys import add_merge_key
from loaders.sql import engine_for

DEFAULT_START = dt.datetime(1970, 1, 1)
EVENT_KEY = ("number", "sys_mod_count")


def with_event_key(table: pa.Table) -> pa.Table:
    return add_merge_key(table, EVENT_KEY, "_event_key")


@dlt.source(name="itsm")
def itsm_source(
    credentials: ConnectionStringCredentials | str | None = None,  # sources.itsm.credentials
    incident_csv: str | None = None,  # sources.itsm.incident_csv: read incidents from here
    csv_timestamp_format: str = "auto",
    csv_null_values: Sequence[str] = ("", "?", "NULL"),
    chunk_size: int = 50_000,
) -> Iterator[DltResource]:
    if credentials is None and not incident_csv:
        raise ValueError(
            "set sources.itsm.credentials (SOURCES__ITSM__CREDENTIALS, a SQLAlchemy URL) "
            "and/or sources.itsm.incident_csv (SOURCES__ITSM__INCIDENT_CSV, a CSV export)"
        )
    engine = None
    if credentials is not None:
        tables = ("intervention", "sla_definition") + (() if incident_csv else ("incident",))
        engine = engine_for(credentials, "sources.itsm.credentials", tables)
    common = {"credentials": engine, "backend": "pyarrow", "chunk_size": chunk_size}

    if incident_csv:
        table = read_servicenow_csv(incident_csv, csv_timestamp_format, csv_null_values)

        @dlt.resource(name="incident", write_disposition="merge", merge_key="_event_key")
        def incident(
            updated: dlt.sources.incremental[dt.datetime] = dlt.sources.incremental(
                "sys_updated_at", initial_value=DEFAULT_START
            ),
        ) -> Iterator[pa.Table]:
            yield with_event_key(table)

        yield incident
    else:
        yield sql_table(
            table="incident",
            incremental=dlt.sources.incremental("sys_updated_at", initial_value=DEFAULT_START),
            write_disposition="merge",
            merge_key="_event_key",
            **common,
        ).add_map(with_event_key)
    if engine is not None:
        yield sql_table(
            table="intervention",
            incremental=dlt.sources.incremental("sys_updated_at", initial_value=DEFAULT_START),
            write_disposition="merge",
            primary_key="id",
            **common,
        )
        yield sql_table(table="sla_definition", write_disposition="replace", **common)
