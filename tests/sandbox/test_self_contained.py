"""A clone of the repository works alone: nothing at run or test time reads outside it (the
vendor specs the stand-ins check against live in specs/)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    where = tmp_path_factory.mktemp("empty") / "kpi-warehouse"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(where)], check=True)
    assert sorted(p.name for p in where.parent.iterdir()) == ["kpi-warehouse"]  # no shared/
    return where


def test_a_fresh_clone_loads_through_the_spec_checked_stand_ins(clone):
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SOURCES__", "KPI_"))},
        "TARGET": "duckdb",
        "KPI_DUCKDB_PATH": str(clone / "warehouse.duckdb"),
        "KPI_PIPELINES_DIR": str(clone / ".state" / "pipelines"),
        "PYTHONPATH": "",
    }
    python = sys.executable
    done = subprocess.run(
        [python, "-m", "sandbox.services", "--", python, "-m", "loaders", "looker", "ga4"],
        cwd=clone,
        env={**env, "KPI_SOURCES": "looker,ga4"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "looker: loaded" in done.stdout and "ga4: loaded" in done.stdout
    assert "prometheus" not in done.stdout  # only what the named sources need starts


def test_no_tracked_file_points_above_the_checkout(clone):
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=clone, capture_output=True, text=True, check=True
    ).stdout.split()
    offenders = [
        name
        for name in tracked
        if name.endswith((".py", ".sh", ".yml", ".yaml", "Makefile", ".toml", ".sql"))
        and name != "tests/sandbox/test_self_contained.py"  # names the markers it looks for
        and any(
            marker in (clone / name).read_text(errors="ignore")
            for marker in ("../shared", "shared/specs", '"shared"')
        )
    ]
    assert offenders == []
