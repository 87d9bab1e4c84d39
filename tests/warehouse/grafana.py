"""What Grafana's PostgreSQL datasource does to a panel's rawSql before it runs it: template
variables and the $__ macros, per Grafana's documentation of the PostgreSQL data source
("Macros", "Templating"). Only the macros our dashboards use are expanded; any other
$__macro is an error, so a dashboard cannot use one this check does not understand."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import yaml

GRAFANA = Path("dashboards/grafana")
DASHBOARDS = sorted((GRAFANA / "dashboards").glob("*.json"))
PROVISIONING = GRAFANA / "provisioning"

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000, "y": 31536000}
RELATIVE = re.compile(r"^now(?:-(\d+)([smhdwMy]))?$")


def load_dashboard(path: Path) -> dict:
    return json.loads(path.read_text())


def provisioning(kind: str) -> dict:
    """A provisioning file with ${VAR} filled from this process's environment, as Grafana
    fills it from its own; an unset variable is an error naming it and the file."""
    (path,) = (PROVISIONING / kind).glob("*.yaml")
    text = path.read_text()

    def env(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        if name not in os.environ:
            raise KeyError(f"{path}: ${name} is not set in the environment")
        return os.environ[name]

    return yaml.safe_load(re.sub(r"\$\{(\w+)\}|\$(\w+)", env, text))


def time_range(dashboard: dict, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The dashboard's default range (e.g. now-30d .. now) as UTC instants."""

    def instant(expr: str) -> dt.datetime:
        match = RELATIVE.match(expr)
        if not match:
            raise ValueError(f"{dashboard['uid']}: unsupported time expression {expr!r}")
        amount, unit = match.groups()
        return now - dt.timedelta(seconds=int(amount or 0) * UNITS.get(unit or "s", 0))

    return instant(dashboard["time"]["from"]), instant(dashboard["time"]["to"])


def _interval_seconds(text: str) -> int:
    match = re.fullmatch(r"'?(\d+)([smhdw])'?", text.strip())
    if not match:
        raise ValueError(f"unsupported interval {text!r}")
    return int(match.group(1)) * UNITS[match.group(2)]


def expand_macros(sql: str, start: dt.datetime, end: dt.datetime) -> str:
    iso = {"from": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "to": end.strftime("%Y-%m-%dT%H:%M:%SZ")}

    def time_group(match: re.Match) -> str:
        column, interval = (p.strip() for p in match.group(2).split(",", 1))
        seconds = _interval_seconds(interval)
        expr = f"floor(extract(epoch from {column})/{seconds})*{seconds}"
        return f'{expr} AS "time"' if match.group(1) == "timeGroupAlias" else expr

    sql = re.sub(r"\$__(timeGroupAlias|timeGroup)\(([^)]*)\)", time_group, sql)
    sql = re.sub(
        r"\$__timeFilter\(([^)]*)\)",
        lambda m: f"{m.group(1).strip()} BETWEEN '{iso['from']}' AND '{iso['to']}'",
        sql,
    )
    sql = sql.replace("$__timeFrom()", f"'{iso['from']}'").replace("$__timeTo()", f"'{iso['to']}'")
    unknown = re.findall(r"\$__\w+", sql)
    if unknown:
        raise ValueError(f"macros this check does not expand: {sorted(set(unknown))}")
    return sql


def _quote(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def expand_variables(sql: str, values: dict[str, Any]) -> str:
    """$var, ${var} and [[var]]: a multi-value or All selection becomes 'a','b' (Grafana's
    SQL quoting), a single value stands as it is."""

    def sub(match: re.Match) -> str:
        name = next(g for g in match.groups() if g)
        if name.startswith("__"):
            return match.group(0)
        if name not in values:
            raise KeyError(f"variable ${name} is not defined in the dashboard")
        value = values[name]
        return ",".join(_quote(v) for v in value) if isinstance(value, list) else str(value)

    return re.sub(r"\$\{(\w+)\}|\[\[(\w+)\]\]|\$(\w+)", sub, sql)


def variable_values(dashboard: dict, run_query) -> dict[str, Any]:
    """Each template variable's value as a person opening the dashboard gets it: custom ones
    their current value; query ones the first option, or every option for All."""
    values: dict[str, Any] = {}
    for var in dashboard.get("templating", {}).get("list", []):
        if var["type"] == "custom":
            values[var["name"]] = var["current"]["value"]
        elif var["type"] == "query":
            columns, rows = run_query(expand_variables(var["query"], values))
            index = columns.index("__value") if "__value" in columns else 0
            options = [str(r[index]) for r in rows]
            if not options:
                raise AssertionError(f"{dashboard['uid']}: variable {var['name']} has no options")
            values[var["name"]] = options if var.get("includeAll") else options[0]
        else:
            raise ValueError(f"{dashboard['uid']}: unsupported variable type {var['type']}")
    return values


def panels(dashboard: dict) -> list[dict]:
    """Every panel, rows' children included."""
    found = []
    for panel in dashboard["panels"]:
        found.extend(panel.get("panels", []) if panel["type"] == "row" else [panel])
    return found
