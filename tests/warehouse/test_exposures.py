"""Every dashboard that reads the marts is a dbt exposure whose depends_on lists exactly the
marts it reads, so the docs site's lineage runs from loader to dashboard."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.warehouse.grafana import DASHBOARDS, load_dashboard, panels

MANIFEST = Path("target/manifest.json")


@pytest.fixture(scope="module")
def exposures() -> list[dict]:
    if not MANIFEST.exists():
        pytest.fail(f"{MANIFEST} is missing: run dbt build (make test-postgres) first")
    return list(json.loads(MANIFEST.read_text())["exposures"].values())


def marts(exposure: dict) -> set[str]:
    return {node.rsplit(".", 1)[1] for node in exposure["depends_on"]["nodes"]}


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.stem)
def test_every_grafana_dashboard_is_an_exposure_of_the_marts_it_reads(path, exposures):
    dashboard = load_dashboard(path)
    (exposure,) = [e for e in exposures if e["meta"].get("grafana_uid") == dashboard["uid"]]
    assert exposure["url"].endswith(f"/d/{dashboard['uid']}")
    assert exposure["owner"]["email"]
    queries = [t["rawSql"] for p in panels(dashboard) for t in p["targets"]]
    queries += [v["query"] for v in dashboard["templating"]["list"] if v["type"] == "query"]
    assert marts(exposure) == set(re.findall(r"analytics\.(\w+)", " ".join(queries)))


def test_the_lookml_model_is_an_exposure_of_its_views(exposures):
    (exposure,) = [e for e in exposures if e["name"] == "looker_explores"]
    views = {p.name.removesuffix(".view.lkml") for p in Path("dashboards/looker/views").iterdir()}
    assert marts(exposure) == views
