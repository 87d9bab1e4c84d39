"""`make bench`: loader throughput and memory against the machine's own limits, dbt against
its compiled SQL run directly, and an incremental hour against a full build; every figure
measured in this one run, and reported as ratios (bench/report.md, bench/report.json).

    python -m bench.run [--scale 1.0]    # 1.0: 10 M metric samples, 1 M batch runs,
                                         # 1 M ticket updates, 1 M Looker access events

Targets (from the issue): each loader >= 25 % of DuckDB's Arrow insert rate and >= 50 % of
PostgreSQL COPY on the same rows; peak memory <= 1 GB; an incremental hour <= 5 % of a
full build; dbt <= 2 x direct SQL + parse time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psycopg2
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from bench.scale_data import STEP_SECONDS, operations_database, prometheus_tsdb
from loaders.targets import postgres_url
from sandbox.ga4_server import Ga4Server
from sandbox.looker_server import LookerServer
from sandbox.services import prometheus

WORK = Path(".bench")
PY = sys.executable
DBT = str(Path(sys.executable).with_name("dbt"))
BENCH_DB = "kpi_bench"
GB = 1024**3
RAW_TABLES = {
    "batch": "raw_batch.batch_runs",
    "itsm": "raw_itsm.incident",
    "prometheus": "raw_prometheus.samples",
}


def measured(command: list[str], env: dict, log: Path) -> dict:
    """Run a command as a child; its wall time and peak resident memory (ru_maxrss)."""
    with log.open("w") as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({child.returncode}); see {log}")
    return {"seconds": seconds, "peak_rss_bytes": usage.ru_maxrss * 1024}


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def pg_admin():
    conn = psycopg2.connect(postgres_url().rsplit("/", 1)[0] + "/postgres")
    conn.autocommit = True
    return conn


def fresh_pg_database() -> None:
    admin = pg_admin()
    with admin.cursor() as cur:
        cur.execute(f"drop database if exists {BENCH_DB} with (force)")
        cur.execute(f"create database {BENCH_DB}")
    admin.close()


def pg_connect():
    return psycopg2.connect(postgres_url().rsplit("/", 1)[0] + f"/{BENCH_DB}")


PG_TYPES = [
    (pa.types.is_boolean, "boolean"),
    (pa.types.is_integer, "bigint"),
    (pa.types.is_floating, "double precision"),
    (pa.types.is_decimal, "numeric"),
    (pa.types.is_date, "date"),
    (lambda t: pa.types.is_timestamp(t) and t.tz is not None, "timestamptz"),
    (pa.types.is_timestamp, "timestamp"),
]


def pg_type(arrow_type: pa.DataType) -> str:
    return next((name for test, name in PG_TYPES if test(arrow_type)), "text")


def machine_limits(table: pa.Table, work: Path, name: str) -> dict:
    """Rows/s of the fastest paths for these very rows: DuckDB inserting the Arrow table,
    DuckDB reading them from parquet, PostgreSQL COPY from CSV (the CSV made beforehand)."""
    rows = table.num_rows
    path = work / f"limits_{name}.duckdb"
    path.unlink(missing_ok=True)
    parquet = work / f"{name}.parquet"
    pq.write_table(table, parquet)
    with duckdb.connect(str(path)) as conn:
        conn.register("arrow_rows", table)
        arrow = timed(lambda: conn.execute("create table a as select * from arrow_rows"))
        parquet_read = timed(
            lambda: conn.execute(f"create table p as select * from read_parquet('{parquet}')")
        )
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, pacsv.WriteOptions(include_header=False))
    conn = pg_connect()
    with conn.cursor() as cur:
        columns = ", ".join(f'"{f.name}" {pg_type(f.type)}' for f in table.schema)
        cur.execute(f"drop table if exists copy_{name}; create table copy_{name} ({columns})")
        conn.commit()
        buffer.seek(0)
        copy = timed(lambda: cur.copy_expert(f"copy copy_{name} from stdin with csv", buffer))
        conn.commit()
    conn.close()
    parquet.unlink()
    path.unlink()
    return {
        "duckdb_arrow_insert_rows_per_s": rows / arrow,
        "duckdb_parquet_read_rows_per_s": rows / parquet_read,
        "postgres_copy_rows_per_s": rows / copy,
    }


def naive_baseline(table: pa.Table, sample: int = 2000) -> float:
    """Rows/s of row-by-row select-then-insert-or-update, a commit per row (PostgreSQL)."""
    rows = table.slice(0, sample).to_pylist()
    key = table.column_names[0]
    conn = pg_connect()
    cur = conn.cursor()
    columns = ", ".join(f'"{f.name}" {pg_type(f.type)}' for f in table.schema)
    cur.execute(f"drop table if exists naive; create table naive ({columns})")
    conn.commit()
    names = ", ".join(f'"{c}"' for c in table.column_names)
    marks = ", ".join(["%s"] * len(table.column_names))
    sets = ", ".join(f'"{c}" = %s' for c in table.column_names)

    def load() -> None:
        for row in rows:
            values = list(row.values())
            cur.execute(f'select 1 from naive where "{key}" = %s', (row[key],))
            if cur.fetchone():
                cur.execute(f'update naive set {sets} where "{key}" = %s', (*values, row[key]))
            else:
                cur.execute(f"insert into naive ({names}) values ({marks})", values)
            conn.commit()

    seconds = timed(load)
    conn.close()
    return len(rows) / seconds


def count(target: str, table: str, work: Path) -> int:
    if target == "duckdb":
        with duckdb.connect(str(work / "bench.duckdb"), read_only=True) as conn:
            return conn.execute(f"select count(*) from {table}").fetchone()[0]
    conn = pg_connect()
    with conn.cursor() as cur:
        cur.execute(f"select count(*) from {table}")
        n = cur.fetchone()[0]
    conn.close()
    return n


def dbt(args: list[str], env: dict, work: Path, log: str) -> dict:
    return measured([DBT, *args], env, work / f"{log}.log")


def direct_sql(work: Path) -> float:
    """Run the SQL dbt compiled for each model, in dbt's order, straight on DuckDB:
    `create or replace table|view <relation> as <compiled select>`."""
    target = work / "target"
    manifest = json.loads((target / "manifest.json").read_text())["nodes"]
    results = json.loads((target / "run_results.json").read_text())["results"]
    order = sorted(
        (r for r in results if r["unique_id"].startswith("model.")),
        key=lambda r: r["timing"][0]["started_at"] if r["timing"] else "",
    )
    statements = []
    for result in order:
        node = manifest[result["unique_id"]]
        compiled = target / "compiled" / node["package_name"] / node["original_file_path"]
        kind = "view" if node["config"]["materialized"] == "view" else "table"
        relation = f'"{node["schema"]}"."{node["alias"]}"'
        statements.append(
            f"create or replace {kind} {relation} as {compiled.read_text().rstrip().rstrip(';')}"
        )
    with duckdb.connect(str(work / "bench.duckdb")) as conn:
        return timed(lambda: [conn.execute(s) for s in statements])


def add_one_hour(work: Path) -> int:
    """One more hour of every series after the last sample (as the next load would land)."""
    with duckdb.connect(str(work / "bench.duckdb")) as conn:
        conn.execute(
            f"""
            insert into raw_prometheus.samples
            select query_name, metric_name, labels, sample_at + interval 1 hour, value,
                value_status, _sample_key || '+1h'
            from raw_prometheus.samples
            where sample_at > (select max(sample_at) from raw_prometheus.samples)
                - interval {3600 - STEP_SECONDS} second
            """
        )
        return conn.execute("select count(*) from raw_prometheus.samples").fetchone()[0]


def scale_history(work: Path, rows: int) -> int:
    """Copy the Looker history the stand-in served, with new ids, to `rows` access events."""
    with duckdb.connect(str(work / "bench.duckdb")) as conn:
        base, top = conn.execute(
            "select count(*), max(history_id) from raw_looker.history"
        ).fetchone()
        copies = max(0, -(-rows // base) - 1)
        conn.execute(
            f"""
            insert into raw_looker.history by name
            select h.* replace (h.history_id + c.k * {top} as history_id)
            from raw_looker.history as h, (select range + 1 as k from range({copies})) as c
            """
        )
        return conn.execute("select count(*) from raw_looker.history").fetchone()[0]


def run(scale: float, report: Path) -> dict:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir()
    sizes = {
        "metric_samples": int(10_000_000 * scale),
        "batch_runs": int(1_000_000 * scale),
        "ticket_events": int(1_000_000 * scale),
        "looker_access_events": int(1_000_000 * scale),
    }
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    print(f"bench: making scale data {sizes}", flush=True)
    ops = operations_database(
        WORK / "ops.sqlite", sizes["batch_runs"], sizes["ticket_events"], now.date()
    )
    samples = prometheus_tsdb(WORK / "prometheus", sizes["metric_samples"], now)
    fresh_pg_database()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("SOURCES__")}
    out: dict = {
        "machine": f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}",
        "started": now.isoformat(),
        "scale": scale,
        "sizes": {**sizes, "metric_samples_backfilled": samples},
        "loaders": {},
        "limits": {},
    }
    with prometheus(WORK / "prometheus", min_samples=0, retention="2y") as prometheus_url:
        env = {
            **base_env,
            "KPI_DUCKDB_PATH": str(WORK / "bench.duckdb"),
            "KPI_PG_DATABASE": BENCH_DB,
            "SOURCES__BATCH__CREDENTIALS": ops,
            "SOURCES__ITSM__CREDENTIALS": ops,
            "SOURCES__APPDB__CREDENTIALS": ops,
            "SOURCES__PROMETHEUS__BASE_URL": prometheus_url,
            "SOURCES__PROMETHEUS__INITIAL_LOOKBACK_HOURS": str(366 * 24),
            "SOURCES__PROMETHEUS__SETTLE_SECONDS": "0",
            "SOURCES__PROMETHEUS__QUERIES": json.dumps(
                [
                    {
                        "name": "up",
                        "promql": "bench_up",
                        "metric_name": "service_up",
                        "step": STEP_SECONDS,
                    }
                ]
            ),
        }
        for target in ("duckdb", "postgres"):
            for source, table in RAW_TABLES.items():
                print(f"bench: loader {source} -> {target}", flush=True)
                result = measured(
                    [PY, "-m", "loaders", source],
                    {**env, "TARGET": target, "KPI_PIPELINES_DIR": str(WORK / f"p_{target}")},
                    WORK / f"load_{source}_{target}.log",
                )
                result["rows"] = count(target, table, WORK)
                result["rows_per_s"] = result["rows"] / result["seconds"]
                out["loaders"][f"{source}->{target}"] = result
    for source, table in RAW_TABLES.items():
        print(f"bench: machine limits on the {source} rows", flush=True)
        with duckdb.connect(str(WORK / "bench.duckdb"), read_only=True) as conn:
            rows = conn.sql(f"select * from {table}").to_arrow_table()
        out["limits"][source] = machine_limits(rows, WORK, source)
        if source == "batch":
            out["naive_rows_per_s"] = naive_baseline(rows)
        del rows

    print("bench: the other sources (stand-ins) and the Looker history", flush=True)
    with Ga4Server() as ga4, LookerServer() as looker:
        extra = {
            **env,
            **looker.env(),
            "TARGET": "duckdb",
            "KPI_PIPELINES_DIR": str(WORK / "p_duckdb"),
            "SOURCES__GA4__API_ENDPOINT": ga4.host,
            "SOURCES__GA4__URL_SCHEME": "http",
        }
        measured([PY, "-m", "loaders", "ga4", "looker", "appdb"], extra, WORK / "load_rest.log")
    out["sizes"]["looker_access_events_loaded"] = scale_history(WORK, sizes["looker_access_events"])

    dbt_env = {
        **env,
        "TARGET": "duckdb",
        "DBT_TARGET_PATH": str(WORK / "target"),
        "DBT_LOG_PATH": str(WORK / "logs"),
    }
    vars_arg = ["--vars", f"{{as_of_date: '{now.date()}'}}"]
    print("bench: dbt parse, full run, direct SQL, full build, incremental hour", flush=True)
    out["dbt_parse"] = dbt(["parse", "--no-partial-parse", *vars_arg], dbt_env, WORK, "parse")
    out["dbt_seed"] = dbt(["seed", *vars_arg], dbt_env, WORK, "seed")
    out["dbt_run_full"] = dbt(
        ["run", "--full-refresh", "--threads", "1", *vars_arg], dbt_env, WORK, "run_full"
    )
    out["direct_sql_seconds"] = direct_sql(WORK)
    out["dbt_build_full"] = dbt(["build", "--full-refresh", *vars_arg], dbt_env, WORK, "build_full")
    out["sizes"]["metric_samples_after_one_more_hour"] = add_one_hour(WORK)
    out["dbt_build_incremental_hour"] = dbt(["build", *vars_arg], dbt_env, WORK, "build_incr")
    metric_models = ["--select", "fct_metric_values_hourly", "fct_metric_values_daily"]
    out["metric_facts_full"] = dbt(
        ["run", "--full-refresh", *metric_models, *vars_arg], dbt_env, WORK, "metrics_full"
    )
    add_one_hour_again = add_one_hour(WORK)
    out["sizes"]["metric_samples_after_two_more_hours"] = add_one_hour_again
    out["metric_facts_incremental_hour"] = dbt(
        ["run", *metric_models, *vars_arg], dbt_env, WORK, "metrics_incr"
    )
    write_report(out, report)
    return out


def ratios(out: dict) -> list[tuple[str, float, str, bool]]:
    """(what, value, target, met) for every target of the issue."""
    rows = []
    for name, load in out["loaders"].items():
        source, target = name.split("->")
        limits = out["limits"][source]
        if target == "duckdb":
            value = load["rows_per_s"] / limits["duckdb_arrow_insert_rows_per_s"]
            rows.append((f"{name} vs DuckDB Arrow insert", value, ">= 0.25", value >= 0.25))
        else:
            value = load["rows_per_s"] / limits["postgres_copy_rows_per_s"]
            rows.append((f"{name} vs PostgreSQL COPY", value, ">= 0.50", value >= 0.5))
        peak = load["peak_rss_bytes"] / GB
        rows.append((f"{name} peak memory (GB)", peak, "<= 1.0", peak <= 1.0))
    for name, load in out["loaders"].items():
        value = load["rows_per_s"] / out["naive_rows_per_s"]
        rows.append((f"{name} vs naive row-by-row", value, "(context)", True))
    full = out["dbt_build_full"]["seconds"]
    incremental = out["dbt_build_incremental_hour"]["seconds"]
    rows.append(
        (
            "dbt build, one more hour / full build",
            incremental / full,
            "<= 0.05",
            incremental / full <= 0.05,
        )
    )
    facts = out["metric_facts_incremental_hour"]["seconds"] / out["metric_facts_full"]["seconds"]
    rows.append(("metric facts, one more hour / full refresh", facts, "<= 0.05", facts <= 0.05))
    budget = 2 * out["direct_sql_seconds"] + out["dbt_parse"]["seconds"]
    value = out["dbt_run_full"]["seconds"] / budget
    rows.append(("dbt run / (2 x direct SQL + parse)", value, "<= 1.0", value <= 1.0))
    return rows


def write_report(out: dict, report: Path) -> None:
    out["ratios"] = [
        {"what": w, "value": round(v, 4), "target": t, "met": m} for w, v, t, m in ratios(out)
    ]
    report.with_suffix(".json").write_text(json.dumps(out, indent=2, default=str) + "\n")
    lines = [
        "# kpi-warehouse benchmark",
        "",
        f"`python -m bench.run --scale {out['scale']}` (`make bench BENCH_SCALE="
        f"{out['scale']}`), {out['started']}, {out['machine']}.",
        "",
        "Sizes: " + ", ".join(f"{k} {v:,}" for k, v in out["sizes"].items()) + ".",
        "",
        "## Ratios (measured in this one run)",
        "",
        "| what | value | target | met |",
        "|---|---:|---|---|",
    ]
    lines += [
        f"| {r['what']} | {r['value']:.3f} | {r['target']} | {'yes' if r['met'] else 'NO'} |"
        for r in out["ratios"]
    ]
    lines += ["", "## Loaders", "", "| loader | rows | seconds | rows/s | peak RSS MB |"]
    lines += ["|---|---:|---:|---:|---:|"]
    for name, load in out["loaders"].items():
        lines.append(
            f"| {name} | {load['rows']:,} | {load['seconds']:.1f} | {load['rows_per_s']:,.0f} "
            f"| {load['peak_rss_bytes'] / 2**20:,.0f} |"
        )
    lines += ["", "## Machine limits on the same rows (rows/s)", ""]
    lines += ["| rows of | DuckDB Arrow insert | DuckDB parquet read | PostgreSQL COPY |"]
    lines += ["|---|---:|---:|---:|"]
    for source, lim in out["limits"].items():
        lines.append(
            f"| {source} | {lim['duckdb_arrow_insert_rows_per_s']:,.0f} "
            f"| {lim['duckdb_parquet_read_rows_per_s']:,.0f} "
            f"| {lim['postgres_copy_rows_per_s']:,.0f} |"
        )
    lines += [
        "",
        f"Naive row-by-row upsert with a commit per row (PostgreSQL, 2,000-row sample): "
        f"{out['naive_rows_per_s']:,.0f} rows/s.",
        "",
        "## dbt (DuckDB)",
        "",
        f"- parse: {out['dbt_parse']['seconds']:.1f} s; full `dbt run` (1 thread): "
        f"{out['dbt_run_full']['seconds']:.1f} s; the same compiled SQL run directly: "
        f"{out['direct_sql_seconds']:.1f} s",
        f"- full `dbt build` (models, seeds, unit and data tests): "
        f"{out['dbt_build_full']['seconds']:.1f} s; after one more hour of samples: "
        f"{out['dbt_build_incremental_hour']['seconds']:.1f} s",
        f"- metric facts (`fct_metric_values_hourly`, `_daily`): full refresh "
        f"{out['metric_facts_full']['seconds']:.1f} s, one more hour incrementally "
        f"{out['metric_facts_incremental_hour']['seconds']:.1f} s",
        "",
    ]
    report.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 = the issue's sizes")
    parser.add_argument("--report", type=Path, default=Path("bench/report.md"))
    args = parser.parse_args(argv)
    try:
        run(args.scale, args.report)
    except (RuntimeError, subprocess.CalledProcessError, psycopg2.Error) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
