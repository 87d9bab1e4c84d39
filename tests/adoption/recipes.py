"""Shared by the adoption tests: run a README-style recipe in the checkout, isolated."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
AS_OF = os.environ.get("AS_OF_DATE") or dt.datetime.now(dt.UTC).date().isoformat()


def run_recipe(
    recipe: str, work: Path, substitutions: dict[str, str], check: bool = True, **env: str
) -> subprocess.CompletedProcess:
    """Run a recipe line (`SETTING=value ... make TARGET ...`) in the checkout with its
    placeholders substituted; the warehouse, loader state and dbt artefacts go to `work`.
    With check, make must succeed and publish; returns make's completed process."""
    for placeholder, value in substitutions.items():
        recipe = recipe.replace(placeholder, value)
    words = recipe.split()
    settings, targets = words[: words.index("make")], words[words.index("make") + 1 :]
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SOURCES__", "KPI_", "LOOKERSDK_", "MAKE", "MFLAGS"))
    }
    full_env = {
        **inherited,
        "KPI_DUCKDB_PATH": str(work / "warehouse.duckdb"),
        "KPI_PIPELINES_DIR": str(work / "pipelines"),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
        "AS_OF_DATE": AS_OF,
        **env,
        **dict(s.split("=", 1) for s in settings),
    }
    done = subprocess.run(
        ["make", "--no-print-directory", *targets],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if check:
        assert done.returncode == 0, (done.stdout[-4000:], done.stderr[-4000:])
        assert "ERROR=0" in done.stdout and "published to analytics" in done.stdout
    return done


def small_sample(where: Path, end: str, seed: int) -> dict[str, Path]:
    """A small operations database (sqlite) and its ServiceNow CSV export ending on `end`:
    the team's own systems in these tests."""
    from scripts.generate_sample_data import generate

    generate(
        f"sqlite:///{where / 'ops.sqlite'}",
        where / "manifest.json",
        seed=seed,
        end_date=dt.date.fromisoformat(end),
        clients=12,
        tickets=300,
        itsm_csv=where / "export.csv",
    )
    return {"sqlite": where / "ops.sqlite", "csv": where / "export.csv"}


def published_tables(work: Path) -> set[str]:
    con = duckdb.connect(str(work / "warehouse.duckdb"), read_only=True)
    try:
        found = con.execute(
            "select table_name from information_schema.tables where table_schema = 'analytics'"
        ).fetchall()
        return {name for (name,) in found}
    finally:
        con.close()


def published_rows(work: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(work / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
