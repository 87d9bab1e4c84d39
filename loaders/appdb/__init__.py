"""dlt source `appdb`: row counts of application tables, one row per table and run hour.

For each configured table (sources.appdb.tables, default users, profiles, api_keys) it
counts the rows in the application database (any SQLAlchemy URL,
sources.appdb.credentials) and stamps the count with the UTC date and hour of the run.
Table `table_counts` is merged on (table, date, hour): a second run in the same hour
replaces that hour's count, so history keeps one value per table and hour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

import dlt
import pyarrow as pa
import sqlalchemy as sa
from dlt.common.configuration.specs import ConnectionStringCredentials
from dlt.extract import DltResource

from loaders.keys import add_merge_key
from loaders.sql import engine_for

DEFAULT_TABLES = ("users", "profiles", "api_keys")


@dlt.source(name="appdb")
def appdb_source(
    credentials: ConnectionStringCredentials | str = dlt.secrets.value,  # sources.appdb
    tables: Sequence[str] = DEFAULT_TABLES,
) -> Iterator[DltResource]:
    if not tables:
        raise ValueError("sources.appdb.tables is empty: name the tables to count")
    engine = engine_for(credentials, "sources.appdb.credentials", tables)

    @dlt.resource(name="table_counts", write_disposition="merge", merge_key="_count_key")
    def table_counts() -> Iterator[pa.Table]:
        counted_at = dt.datetime.now(dt.UTC).replace(minute=0, second=0, microsecond=0)
        counts = []
        with engine.connect() as conn:
            for table in tables:
                counts.append(
                    conn.execute(
                        sa.select(sa.func.count()).select_from(sa.table(table))
                    ).scalar_one()
                )
        result = pa.table(
            {
                "table_name": pa.array(list(tables), pa.string()),
                "row_count": pa.array(counts, pa.int64()),
                "count_date": pa.array([counted_at.date()] * len(tables), pa.date32()),
                "count_hour": pa.array([counted_at.hour] * len(tables), pa.int32()),
                "counted_at": pa.array(
                    [counted_at.replace(tzinfo=None)] * len(tables), pa.timestamp("us")
                ),
            }
        )
        yield add_merge_key(result, ["table_name", "count_date", "count_hour"], "_count_key")

    yield table_counts
