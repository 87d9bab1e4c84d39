"""Build and test with dbt, then publish the marts to readers only when every test passed.

dbt writes the marts and seeds into the build schema `analytics_build`; readers (Grafana,
Looker, the reporting role, scripts) read `analytics`. After a `dbt build` with no failed
or errored node, every mart and seed is copied from `analytics_build` to `analytics` in one
transaction, so readers see the whole new state at once or none of it. When any source
test, unit test, model or mart test fails, nothing is published: `analytics` keeps its last
good state, and the failing nodes are named on stderr and, when SLACK_BOT_TOKEN and
SLACK_ALERT_CHANNEL are set, in a Slack message.

On PostgreSQL the publish also grants SELECT on `analytics` to the read-only role
(KPI_REPORTING_ROLE, default `reporting`, created by scripts/pg_up.sh) when it exists.

    TARGET=postgres python -m scripts.publish [dbt build arguments, e.g. --vars '{...}']
    python -m scripts.publish --no-build   # publish what the last successful build made

Exit status: 0 published; 1 a test or model failed (nothing published); 2 could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from loaders.targets import target_name
from scripts.slack import slack_client
from scripts.warehouse import BUILD_SCHEMA, MART_SCHEMA, connect

TARGET_DIR = Path(os.environ.get("DBT_TARGET_PATH", "target"))  # as dbt reads it
FAILED = ("error", "fail", "runtime error")


class CannotPublish(Exception):
    """A setting, the build's artefacts or the warehouse do not allow a publish."""


def run_dbt_build(target: str, dbt_args: Sequence[str]) -> int:
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), "build", "--target", target, *dbt_args]
    print("+", " ".join(command), flush=True)
    return subprocess.call(command)


def last_results(run_results: Path = TARGET_DIR / "run_results.json") -> list[dict]:
    """The node results of the last dbt invocation."""
    if not run_results.exists():
        raise CannotPublish(f"{run_results} is missing: dbt did not run")
    return json.loads(run_results.read_text())["results"]


def failed_nodes(results: list[dict]) -> list[dict]:
    """The nodes that errored or failed, with dbt's message."""
    return [
        {"node": r["unique_id"], "status": r["status"], "message": (r.get("message") or "")}
        for r in results
        if r["status"] in FAILED
    ]


def tables_to_publish(
    results: list[dict], manifest: Path = TARGET_DIR / "manifest.json"
) -> list[str]:
    """The models and seeds the invocation built into the build schema (all of them after
    a full build; the selected ones after `--select`)."""
    if not manifest.exists():
        raise CannotPublish(f"{manifest} is missing: run dbt build first")
    nodes = json.loads(manifest.read_text())["nodes"]
    return sorted(
        nodes[r["unique_id"]]["alias"]
        for r in results
        if r["unique_id"] in nodes  # unit tests live elsewhere in the manifest
        and nodes[r["unique_id"]]["resource_type"] in ("model", "seed")
        and nodes[r["unique_id"]]["schema"] == BUILD_SCHEMA
    )


def publish(target: str, tables: Sequence[str]) -> None:
    """Copy `tables` from the build schema to the readers' schema in one transaction."""
    conn = connect(target, read_only=False)
    try:
        if target == "postgres":
            conn.autocommit = False
            cur = conn.cursor()
        else:  # a DuckDB cursor is a second connection with its own transaction: use conn
            cur = conn
            cur.execute("begin transaction")
        cur.execute(
            "select table_name from information_schema.tables where table_schema = "
            f"'{BUILD_SCHEMA}'"
        )
        built = {name for (name,) in cur.fetchall()}
        missing = sorted(set(tables) - built)
        if missing:
            raise CannotPublish(
                f"{BUILD_SCHEMA} lacks {', '.join(missing)}: run a full dbt build first"
            )
        cur.execute(f"create schema if not exists {MART_SCHEMA}")
        for name in tables:
            cur.execute(f"drop table if exists {MART_SCHEMA}.{name}")
            cur.execute(f"create table {MART_SCHEMA}.{name} as select * from {BUILD_SCHEMA}.{name}")
        if target == "postgres":
            grant_reporting_role(cur)
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    finally:
        conn.close()


def grant_reporting_role(cur: Any) -> None:
    """SELECT on the readers' schema, nothing else (the role owns and may create nothing)."""
    role = os.environ.get("KPI_REPORTING_ROLE", "reporting")
    cur.execute("select 1 from pg_roles where rolname = %s", (role,))
    if not cur.fetchone():
        print(f"publish: no role {role!r} (make pg-up creates it); no grants made")
        return
    cur.execute(f'grant usage on schema {MART_SCHEMA} to "{role}"')
    cur.execute(f'grant select on all tables in schema {MART_SCHEMA} to "{role}"')


def report_failure(failures: list[dict]) -> str:
    lines = [
        f"kpi-warehouse: {len(failures)} dbt node(s) failed; {MART_SCHEMA} was not published "
        "and keeps its last good state:"
    ]
    lines += [f"- {f['node']} ({f['status']}): {f['message'][:200]}" for f in failures]
    text = "\n".join(lines)
    print(text, file=sys.stderr)
    channel = os.environ.get("SLACK_ALERT_CHANNEL")
    slack = slack_client() if channel else None
    if slack is not None:
        slack.chat_postMessage(channel=channel, text=text)
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-build", action="store_true", help="publish the last build without running dbt"
    )
    args, dbt_args = parser.parse_known_args(argv)
    try:
        target = target_name()
        status = 0
        if not args.no_build:
            (TARGET_DIR / "run_results.json").unlink(missing_ok=True)  # no stale verdicts
            status = run_dbt_build(target, dbt_args)
        results = last_results()
        failures = failed_nodes(results)
        if status and not failures:
            failures = [{"node": "dbt build", "status": f"exit {status}", "message": ""}]
        if failures:
            report_failure(failures)
            return 1
        tables = tables_to_publish(results)
        publish(target, tables)
        print(f"publish: {len(tables)} tables published to {MART_SCHEMA} on {target}")
        return 0
    except Exception as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
