"""One setting picks where everything lands: TARGET=duckdb (default), postgres or spark.

dbt reads the same environment variables through profiles.example.yml, so loaders and models
always agree on the warehouse:

- duckdb: KPI_DUCKDB_PATH (default warehouse.duckdb, relative to the working directory)
- postgres: KPI_PG_HOST, KPI_PG_PORT, KPI_PG_USER, KPI_PG_PASSWORD, KPI_PG_DATABASE
- spark: parquet files through dlt's filesystem destination under KPI_LAKE_URL (default
  .lake in the working directory; s3://, gs://, az:// URLs work with their credentials in
  DESTINATION__FILESYSTEM__CREDENTIALS__*), laid out <lake>/raw_<source>/<table>/*.parquet,
  which the Spark target registers as its raw sources (macro register_lake_sources).
  Plain parquet has no upserts: dlt appends where the other targets merge, so re-loading
  the same rows duplicates them; a lake that re-loads should use table_format "delta".
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import dlt
from dlt.common.destination import Destination

from loaders.settings import TARGETS

PG_DEFAULTS = {
    "KPI_PG_HOST": "127.0.0.1",
    "KPI_PG_PORT": "5432",
    "KPI_PG_USER": "kpi",
    "KPI_PG_PASSWORD": "kpi",
    "KPI_PG_DATABASE": "kpi",
}


def target_name() -> str:
    target = os.environ.get("TARGET", "duckdb").strip().lower()
    if target not in TARGETS:
        raise ValueError(f"TARGET must be one of {', '.join(TARGETS)}; got {target!r}")
    return target


def postgres_url() -> str:
    env = {key: os.environ.get(key, default) for key, default in PG_DEFAULTS.items()}
    if not env["KPI_PG_PORT"].isdigit():
        raise ValueError(f"KPI_PG_PORT must be a port number; got {env['KPI_PG_PORT']!r}")
    return (
        f"postgresql://{quote(env['KPI_PG_USER'], safe='')}:"
        f"{quote(env['KPI_PG_PASSWORD'], safe='')}@{env['KPI_PG_HOST']}:"
        f"{env['KPI_PG_PORT']}/{env['KPI_PG_DATABASE']}"
    )


def lake_url() -> str:
    url = os.environ.get("KPI_LAKE_URL", ".lake")
    return url if "://" in url else Path(url).resolve().as_uri()


def destination(target: str | None = None) -> Destination:
    target = target or target_name()
    if target == "spark":
        return dlt.destinations.filesystem(
            lake_url(), layout="{table_name}/{load_id}.{file_id}.{ext}"
        )
    if target == "duckdb":
        return dlt.destinations.duckdb(os.environ.get("KPI_DUCKDB_PATH", "warehouse.duckdb"))
    return dlt.destinations.postgres(postgres_url())


def pipeline(source_name: str, target: str | None = None) -> dlt.Pipeline:
    """The pipeline that lands `source_name` in raw_<source_name> on the chosen target."""
    target = target or target_name()
    return dlt.pipeline(
        pipeline_name=f"kpi_{source_name}_{target}",
        pipelines_dir=os.environ.get("KPI_PIPELINES_DIR", ".state/pipelines"),
        destination=destination(target),
        dataset_name=f"raw_{source_name}",
    )


def run_options(target: str | None = None) -> dict:
    """Extra pipeline.run() arguments per target: parquet files for the lake."""
    return {"loader_file_format": "parquet"} if (target or target_name()) == "spark" else {}
