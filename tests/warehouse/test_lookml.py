"""After `make test-postgres`: the LookML in dashboards/looker parses, every explore and join
names real views and fields, and every field's SQL runs on the published marts as the
read-only reporting role (Looker's connection)."""

from __future__ import annotations

import re
from pathlib import Path

import lkml
import pytest
from psycopg2 import sql as pgsql

from tests.warehouse.test_reporting_role import reporting_connection

LOOKER = Path("dashboards/looker")
VIEW_FILES = sorted((LOOKER / "views").glob("*.view.lkml"))
TIMEFRAMES = {"raw", "time", "date", "week", "month", "quarter", "year"}


def parse(path: Path) -> dict:
    return lkml.load(path.read_text())


@pytest.fixture(scope="module")
def views() -> dict[str, dict]:
    found = {}
    for path in VIEW_FILES:
        (view,) = parse(path)["views"]
        assert path.name == f"{view['name']}.view.lkml"
        found[view["name"]] = view
    return found


def field_names(view: dict) -> set[str]:
    names = {d["name"] for d in view.get("dimensions", []) + view.get("measures", [])}
    for group in view.get("dimension_groups", []):
        names |= {f"{group['name']}_{t}" for t in group["timeframes"]}
    return names


def test_every_view_is_over_a_published_mart(views):
    conn = reporting_connection()
    with conn.cursor() as cur:
        for name, view in views.items():
            assert view["sql_table_name"].strip() == f"analytics.{name}"
            fields = view.get("dimensions", []) + view.get("dimension_groups", [])
            fields += [m for m in view.get("measures", []) if "sql" in m]
            assert len(field_names(view)) == len(view.get("dimensions", [])) + len(
                view.get("measures", [])
            ) + sum(len(g["timeframes"]) for g in view.get("dimension_groups", []))
            for group in view.get("dimension_groups", []):
                assert set(group["timeframes"]) <= TIMEFRAMES, (name, group["name"])
            for field in fields:
                expression = field["sql"].replace("${TABLE}", "t").rstrip("; ")
                query = pgsql.SQL("select {} from analytics.{} as t limit 1").format(
                    pgsql.SQL(expression), pgsql.Identifier(name)
                )
                cur.execute(query)  # raises naming the column when the mart lacks it
    conn.close()


def test_the_model_explores_real_views_and_joins_on_real_fields(views):
    model = parse(LOOKER / "kpi_warehouse.model.lkml")
    assert model["connection"] == "kpi_warehouse"
    explored = {e["name"] for e in model["explores"]}
    assert explored <= set(views), explored - set(views)
    for explore in model["explores"]:
        for join in explore.get("joins", []):
            assert join["name"] in views, join["name"]
            assert join["relationship"] in ("many_to_one", "one_to_one", "one_to_many")
            for view, field in re.findall(r"\$\{(\w+)\.(\w+)\}", join["sql_on"]):
                assert view in (explore["name"], join["name"]), (explore["name"], view)
                assert field in field_names(views[view]), f"{view}.{field}"
