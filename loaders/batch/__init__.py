"""dlt source `batch`: nightly batch runs and clients from the operations database.

Reads `batch_runs` and `clients` from any SQLAlchemy URL with dlt's sql_database and the
pyarrow backend (rows go to the destination as Arrow tables, never as Python dicts),
incrementally on `updated_at`.

- clients: merged on `client_id` (the table's key).
- batch_runs: merged with a dlt `merge_key` on `_run_key` (the run id; see loaders/keys.py
  for rows without one): a re-sent run replaces every stored row with its run id, so
  re-loading never duplicates. No `primary_key` on purpose: a primary key would make dlt
  deduplicate within a load, and two rows that share a run id in one load are a data-quality
  fact that `batch_runs_rejected` must see, not something to drop silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import dlt
from dlt.common.configuration.specs import ConnectionStringCredentials
from dlt.extract import DltResource
from dlt.sources.sql_database import sql_table

from loaders.keys import add_merge_key
from loaders.sql import engine_for

DEFAULT_START = dt.datetime(1970, 1, 1)
TABLES = ("clients", "batch_runs")


@dlt.source(name="batch")
def batch_source(
    credentials: ConnectionStringCredentials | str = dlt.secrets.value,  # sources.batch
    chunk_size: int = 50_000,
) -> Iterator[DltResource]:
    if chunk_size <= 0:
        raise ValueError(f"sources.batch.chunk_size must be positive; got {chunk_size}")
    engine = engine_for(credentials, "sources.batch.credentials", TABLES)
    common = {"credentials": engine, "backend": "pyarrow", "chunk_size": chunk_size}
    yield sql_table(
        table="clients",
        incremental=dlt.sources.incremental("updated_at", initial_value=DEFAULT_START),
        write_disposition="merge",
        primary_key="client_id",
        **common,
    )
    yield sql_table(
        table="batch_runs",
        incremental=dlt.sources.incremental("updated_at", initial_value=DEFAULT_START),
        write_disposition="merge",
        merge_key="_run_key",
        **common,
    ).add_map(lambda table: add_merge_key(table, ["run_id"], "_run_key"))
