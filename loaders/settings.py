"""The project's settings, checked before anything starts (`python -m loaders.settings`,
which `make data/load/build` run first, and every entry point).

KPI_SOURCES names the sources a deployment has: comma-separated names (e.g.
KPI_SOURCES=batch,itsm); unset or empty means all six, as the demo. Loaders run only these,
`sandbox.services` starts only the stand-ins they need, and dbt builds only the models of
enabled sources (dbt_project.yml and macros/kpi_sources.sql read the same variable), so
`make build` publishes only the enabled domains.

A wrong value stops with the setting's name; an unknown KPI_* or SOURCES__* variable (a
typo would otherwise silently fall back to a default) is warned about with the closest
known name. Kept free of heavy imports: it runs before every make step.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import sys
from collections.abc import Iterable, Mapping

ALL_SOURCES = ("batch", "itsm", "ga4", "prometheus", "appdb", "looker")
TARGETS = ("duckdb", "postgres", "spark")
KNOWN_KPI = (
    "KPI_SOURCES",
    "KPI_DUCKDB_PATH",
    "KPI_PG_HOST",
    "KPI_PG_PORT",
    "KPI_PG_USER",
    "KPI_PG_PASSWORD",
    "KPI_PG_DATABASE",
    "KPI_PG_RESET",
    "KPI_PIPELINES_DIR",
    "KPI_LAKE_URL",
    "KPI_SPARK_WAREHOUSE",
    "KPI_REPORTING_ROLE",
    "KPI_REPORTING_PASSWORD",
    "KPI_GRAFANA_URL",
    "KPI_WAREHOUSE_DIR",
    "KPI_SCHEDULE",
    "KPI_DEPRECATION_APPLY",
    "KPI_LOOKER_BACKUP_DIR",
    "KPI_PUBLISHING",  # set by scripts/publish.py for its dbt build
)


class SettingError(ValueError):
    """A setting has a value the project cannot use; the message names the setting."""


def parse_sources(value: str, setting: str = "KPI_SOURCES") -> list[str]:
    """The source names in `value` (comma- or space-separated), checked against ALL_SOURCES."""
    names = [n for n in value.replace(",", " ").lower().split() if n]
    unknown = [n for n in names if n not in ALL_SOURCES]
    if unknown:
        raise SettingError(
            f"{setting}: unknown source(s) {', '.join(unknown)}; known: {', '.join(ALL_SOURCES)}"
        )
    return list(dict.fromkeys(names))


def enabled_sources() -> list[str]:
    """The sources KPI_SOURCES names, in its order; all of them when it is unset or empty."""
    return parse_sources(os.environ.get("KPI_SOURCES", "")) or list(ALL_SOURCES)


def closest(name: str, known: Iterable[str]) -> str:
    match = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean {match[0]}?)" if match else ""


def check(env: Mapping[str, str] | None = None) -> list[str]:
    """Raise SettingError for a value that cannot work; return warnings for unknown names."""
    env = os.environ if env is None else env
    target = env.get("TARGET", "duckdb")
    if target not in TARGETS:  # exactly: dbt's target names are case-sensitive
        raise SettingError(
            f"TARGET={target!r} is not a target; use one of {', '.join(TARGETS)}"
            + closest(target.strip().lower(), TARGETS).replace(
                "did you mean ", "did you mean TARGET="
            )
        )
    as_of = env.get("AS_OF_DATE", "").strip()
    if as_of:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of):  # dbt reads this form only
                raise ValueError
            dt.date.fromisoformat(as_of)
        except ValueError:
            raise SettingError(
                f"AS_OF_DATE={as_of!r} is not a date: use YYYY-MM-DD (e.g. 2026-12-31)"
            ) from None
    parse_sources(env.get("KPI_SOURCES", ""))
    port = env.get("KPI_PG_PORT", "5432")
    if not port.isdigit():
        raise SettingError(f"KPI_PG_PORT={port!r} is not a port number")
    return [
        f"settings: {name} is not a kpi-warehouse setting and is ignored" + closest(name, KNOWN_KPI)
        for name in sorted(env)
        if name.startswith("KPI_") and name not in KNOWN_KPI and "__" not in name
    ]  # (KPI_<pipeline>__... are dlt's pipeline-scoped settings, e.g. KPI_BATCH_DUCKDB__...)


def check_source_settings(
    parameters: Mapping[str, Iterable[str]], env: Mapping[str, str] | None = None
) -> list[str]:
    """Warnings for SOURCES__<SOURCE>__<SETTING> variables no source reads. `parameters`
    maps each source to the settings its dlt source function takes."""
    env = os.environ if env is None else env
    known = {
        f"SOURCES__{source.upper()}__{param.upper()}"
        for source, params in parameters.items()
        for param in params
    }
    warnings = []
    for name in sorted(env):
        if not name.startswith("SOURCES__"):
            continue
        parts = name.split("__")
        setting = "__".join(parts[:3])
        if setting not in known:
            warnings.append(
                f"settings: {name} is not read by any source and is ignored"
                + closest(setting, known)
            )
    return warnings


def main() -> int:
    try:
        for warning in check():
            print(warning, file=sys.stderr)
    except SettingError as exc:
        print(f"settings: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
