"""Build and test with dbt, then publish the marts to readers only when every test passed.

dbt writes the marts and seeds into the build schema `analytics_build`; readers (Grafana,
Looker, the reporting role, scripts) read `analytics`. After a `dbt build` with no failed
or errored node, every mart and seed is copied from `analytics_build` to `analytics` in one
transaction, so readers see the whole new state at once or none of it. When any source
test, unit test, model or mart test fails, no mart is published: `analytics` keeps its
last good marts, and the failing nodes are named on stderr and, when SLACK_BOT_TOKEN and
SLACK_ALERT_CHANNEL are set, in a Slack message (a failed rejected-share test with the top
rejection reasons and their counts). Only the rejected-row tables (`*_rejected`) of the
refused load are built on their own and published, so readers can see why.

On PostgreSQL the publish also grants SELECT on `analytics` to the read-only role
(KPI_REPORTING_ROLE, default `reporting`, created by scripts/pg_up.sh) when it exists.

    TARGET=postgres python -m scripts.publish [dbt build arguments, e.g. --vars '{...}']
    python -m scripts.publish --no-build   # publish what the last successful build made

Exit status: 0 published; 1 a test or model failed (no mart published); 2 could not run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from loaders.settings import check, enabled_sources
from loaders.targets import target_name
from scripts.slack import slack_client
from scripts.warehouse import BUILD_SCHEMA, MART_SCHEMA, connect, rows

TARGET_DIR = Path(os.environ.get("DBT_TARGET_PATH", "target"))  # as dbt reads it
FAILED = ("error", "fail", "runtime error")


class CannotPublish(Exception):
    """A setting, the build's artefacts or the warehouse do not allow a publish."""


def run_dbt_build(target: str, dbt_args: Sequence[str]) -> int:
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), "build", "--target", target, *dbt_args]
    print("+", " ".join(command), flush=True)
    return subprocess.call(command, env={**os.environ, "KPI_PUBLISHING": "1"})


def last_results(
    run_results: Path = TARGET_DIR / "run_results.json", command: str = "build"
) -> list[dict]:
    """The node results of the last dbt invocation, which must have been `dbt <command>`:
    after a failed build, `dbt docs generate` (make docs) writes a run_results.json of its
    own with no failure in it, which must never pass for a clean build."""
    if not run_results.exists():
        raise CannotPublish(f"{run_results} is missing: dbt did not run")
    document = json.loads(run_results.read_text())
    which = (document.get("args") or {}).get("which")
    if which != command:
        raise CannotPublish(
            f"the last dbt command here was `{which}`, not `{command}`: its results say nothing "
            "about the marts; run make build"
        )
    return document["results"]


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


PUBLISH_LOG = "kpi_meta.publish_log"  # every publish attempt: when, verdict, tables


def build_started_at(run_results: Path = TARGET_DIR / "run_results.json") -> dt.datetime | None:
    """When the last dbt build started (its end minus its elapsed time), naive UTC: the
    data it read were loaded before this moment."""
    try:
        document = json.loads(run_results.read_text())
        ended = dt.datetime.fromisoformat(document["metadata"]["generated_at"].replace("Z", ""))
        return ended.replace(tzinfo=None) - dt.timedelta(seconds=document["elapsed_time"])
    except (OSError, KeyError, ValueError):
        return None


def publish(
    target: str,
    tables: Sequence[str],
    verdict: str = "passed",
    started_at: dt.datetime | None = None,
) -> None:
    """Copy `tables` from the build schema to the readers' schema in one transaction, and
    record the attempt in kpi_meta.publish_log (the deprecation job reads it: it acts only
    on a mart from a passed build that is newer than the last Looker load)."""
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
        cur.execute("create schema if not exists kpi_meta")
        cur.execute(
            f"create table if not exists {PUBLISH_LOG} "
            "(published_at timestamp, verdict varchar, tables varchar)"
        )
        cur.execute(
            f"alter table {PUBLISH_LOG} add column if not exists build_started_at timestamp"
        )
        published_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        started = f"'{started_at.isoformat(sep=' ')}'" if started_at else "null"
        cur.execute(
            f"insert into {PUBLISH_LOG} (published_at, verdict, tables, build_started_at) "
            f"values ('{published_at.isoformat(sep=' ')}', '{verdict}', '{','.join(tables)}', "
            f"{started})"
        )
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


def top_rejection_reasons(target: str, test_id: str, manifest: dict, limit: int = 5) -> str:
    """For a failed rejected_share_at_most test: the model's rejection reasons with their
    counts, most frequent first ("" for any other test)."""
    node = manifest["nodes"].get(test_id) or {}
    meta = node.get("test_metadata") or {}
    if meta.get("name") != "rejected_share_at_most":
        return ""
    model = manifest["nodes"][node["depends_on"]["nodes"][0]]
    column = meta["kwargs"]["column_name"]
    relation = f"{model['schema']}.{model['alias']}"
    try:
        counts = rows(
            target,
            f"select {column}, count(*) from {relation} group by {column} order by count(*) desc",
        )
    except Exception as exc:  # the report must not hide the failure it reports
        return f"; could not count the reasons in {relation}: {exc}"
    total = sum(n for _, n in counts)
    rejected = [(reason, n) for reason, n in counts if reason is not None]
    shown = ", ".join(f"{reason} {n}" for reason, n in rejected[:limit])
    return (
        f"; {sum(n for _, n in rejected)} of {total} rows of {relation} rejected; "
        f"top reasons: {shown}"
    )


def report_failure(failures: list[dict], target: str, published: Sequence[str] = ()) -> str:
    manifest_path = TARGET_DIR / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {"nodes": {}}
    lines = [
        f"kpi-warehouse: {len(failures)} dbt node(s) failed; {MART_SCHEMA} was not published "
        "and keeps its last good state:"
    ]
    lines += [
        f"- {f['node']} ({f['status']}): {f['message'][:200]}"
        + top_rejection_reasons(target, f["node"], manifest)
        for f in failures
    ]
    if published:
        lines.append(
            f"The rejected rows of this load are in {MART_SCHEMA} all the same, to show why: "
            + ", ".join(published)
        )
    text = "\n".join(lines)
    print(text, file=sys.stderr)
    channel = os.environ.get("SLACK_ALERT_CHANNEL")
    slack = slack_client() if channel else None
    if slack is not None:
        slack.chat_postMessage(channel=channel, text=text)
    return text


def publish_rejected_rows(target: str, dbt_args: Sequence[str]) -> list[str]:
    """After a failed build: build the rejected-row models on their own (models only, no
    tests, so a failed rejected-share test does not skip them) and publish just those, so
    readers can see why the load was refused. Returns the tables published."""
    manifest_path = TARGET_DIR / "manifest.json"
    if not manifest_path.exists():
        publish(target, [], verdict="failed")
        return []
    nodes = json.loads(manifest_path.read_text())["nodes"].values()
    models = sorted(
        n["name"]
        for n in nodes
        if n["resource_type"] == "model"
        and n["schema"] == BUILD_SCHEMA
        and n["name"].endswith("_rejected")
    )
    if not models:
        publish(target, [], verdict="failed")
        return []
    keep = []  # the build's --vars (e.g. its as-of date), nothing else
    if "--vars" in dbt_args and dbt_args.index("--vars") + 1 < len(dbt_args):
        at = dbt_args.index("--vars")
        keep = list(dbt_args[at : at + 2])
    dbt = Path(sys.executable).with_name("dbt")
    where = TARGET_DIR / "rejected"  # keeps the failed build's run_results.json as it is
    command = [str(dbt), "run", "--target", target, "--target-path", str(where), *keep]
    print("+", " ".join([*command, "--select", *models]), flush=True)
    subprocess.call([*command, "--select", *models], env={**os.environ, "KPI_PUBLISHING": "1"})
    try:
        results = last_results(where / "run_results.json", command="run")
    except CannotPublish:
        publish(target, [], verdict="failed")
        return []
    built = [
        r["unique_id"].rsplit(".", 1)[1]
        for r in results
        if r["unique_id"].startswith("model.") and r["status"] == "success"
    ]
    publish(target, built, verdict="failed", started_at=build_started_at())
    return built


def missing_raw_data(target: str) -> None:
    """Every enabled source must have been loaded once: say so by name, not with dbt's
    catalog errors."""
    found = {
        name
        for (name,) in rows(
            target,
            "select schema_name from information_schema.schemata where schema_name like 'raw%'",
        )
    }
    missing = [s for s in enabled_sources() if f"raw_{s}" not in found]
    if missing:
        raise CannotPublish(
            f"no raw data for {', '.join(missing)} (schemas "
            f"{', '.join('raw_' + s for s in missing)}): run make load first, or leave "
            "them out of KPI_SOURCES"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-build", action="store_true", help="publish the last build without running dbt"
    )
    args, dbt_args = parser.parse_known_args(argv)
    try:
        for warning in check():  # a wrong setting stops here, before dbt starts
            print(warning, file=sys.stderr)
        target = target_name()
        selected = any(a in ("--select", "-s", "--selector") for a in dbt_args)
        if target != "spark" and not selected and not args.no_build:
            missing_raw_data(target)  # a whole build needs every enabled source loaded
        status = 0
        if not args.no_build:
            (TARGET_DIR / "run_results.json").unlink(missing_ok=True)  # no stale verdicts
            status = run_dbt_build(target, dbt_args)
        results = last_results()
        failures = failed_nodes(results)
        if status and not failures:
            failures = [{"node": "dbt build", "status": f"exit {status}", "message": ""}]
        if failures:
            published = [] if args.no_build else publish_rejected_rows(target, dbt_args)
            report_failure(failures, target, published)
            return 1
        tables = tables_to_publish(results)
        publish(target, tables, started_at=build_started_at())
        print(f"publish: {len(tables)} tables published to {MART_SCHEMA} on {target}")
        return 0
    except Exception as exc:
        print(f"publish: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
