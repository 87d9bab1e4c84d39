"""After `make test-postgres`: every Grafana panel's SQL, expanded as Grafana expands it, runs
on the published PostgreSQL marts through the provisioned datasource (the read-only
reporting role) and returns what its panel type needs."""

from __future__ import annotations

import datetime as dt
import decimal

import psycopg2
import pytest

from tests.warehouse.grafana import (
    DASHBOARDS,
    expand_macros,
    expand_variables,
    load_dashboard,
    panels,
    provisioning,
    time_range,
    variable_values,
)

NUMBER = (int, float, decimal.Decimal)
TIME = (dt.datetime, dt.date, int, float, decimal.Decimal)  # Grafana takes epoch numbers too


@pytest.fixture(scope="module")
def datasource() -> dict:
    (source,) = provisioning("datasources")["datasources"]
    return source


@pytest.fixture(scope="module")
def run_query(datasource):
    host, port = datasource["url"].rsplit(":", 1)
    conn = psycopg2.connect(
        host=host,
        port=port,
        user=datasource["user"],
        password=datasource["secureJsonData"]["password"],
        dbname=datasource["jsonData"]["database"],
    )
    conn.set_session(readonly=True, autocommit=True)

    def run(sql: str) -> tuple[list[str], list[tuple]]:
        with conn.cursor() as cur:
            cur.execute(sql)
            return [c.name for c in cur.description], cur.fetchall()

    yield run
    conn.close()


def test_provisioning_files_follow_grafana_and_match_the_dashboards(datasource):
    assert datasource["type"] == "grafana-postgresql-datasource"
    assert datasource["user"] != "kpi", "Grafana must read as the read-only role"
    (provider,) = provisioning("dashboards")["providers"]
    assert provider["type"] == "file"
    from pathlib import Path

    assert sorted(Path(provider["options"]["path"]).resolve().glob("*.json")) == [
        p.resolve() for p in DASHBOARDS
    ]
    uids = set()
    for path in DASHBOARDS:
        dashboard = load_dashboard(path)
        uids.add(dashboard["uid"])
        for panel in panels(dashboard):
            for target in panel["targets"]:
                assert target["datasource"]["uid"] == datasource["uid"], (path, panel["title"])
                assert target["rawQuery"] and target["format"] in ("table", "time_series")
    assert len(uids) == len(DASHBOARDS) == 6


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.stem)
def test_every_panel_returns_what_its_panel_type_needs(path, run_query):
    dashboard = load_dashboard(path)
    start, end = time_range(dashboard, dt.datetime.now(dt.UTC))
    values = variable_values(dashboard, run_query)
    for panel in panels(dashboard):
        for target in panel["targets"]:
            where = f"{dashboard['uid']} / {panel['title']!r}"
            sql = expand_macros(expand_variables(target["rawSql"], values), start, end)
            columns, rows = run_query(sql)
            assert rows, f"{where}: no rows\n{sql}"
            if panel["type"] == "timeseries":
                assert target["format"] == "time_series", where
                assert columns[0] == "time", f"{where}: the first column must be time"
                times = [r[0] for r in rows]
                assert all(isinstance(t, TIME) for t in times), where
                assert times == sorted(times), f"{where}: not ordered by time"
                for row in rows:
                    assert all(v is None or isinstance(v, NUMBER) for v in row[1:]), where
            elif panel["type"] == "stat":
                assert any(v is not None for v in rows[0]), f"{where}: null value"
            elif panel["type"] == "barchart":
                assert isinstance(rows[0][0], str), f"{where}: first column names the bars"
                assert all(isinstance(r[1], NUMBER) for r in rows), where
            else:
                assert panel["type"] == "table", f"{where}: unexpected type {panel['type']}"
