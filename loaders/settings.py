"""KPI_SOURCES: the one setting that names the sources a deployment has.

Comma-separated names (e.g. KPI_SOURCES=batch,itsm); unset or empty means all six, as the
demo. Loaders run only these, `sandbox.services` starts only the stand-ins they need, and
dbt builds only the models of enabled sources (macros/kpi_sources.sql reads the same
variable), so `make build` publishes only the enabled domains.
"""

from __future__ import annotations

import os

ALL_SOURCES = ("batch", "itsm", "ga4", "prometheus", "appdb", "looker")


def parse_sources(value: str, setting: str = "KPI_SOURCES") -> list[str]:
    """The source names in `value` (comma- or space-separated), checked against ALL_SOURCES."""
    names = [n for n in value.replace(",", " ").lower().split() if n]
    unknown = [n for n in names if n not in ALL_SOURCES]
    if unknown:
        raise ValueError(
            f"{setting}: unknown source(s) {', '.join(unknown)}; known: {', '.join(ALL_SOURCES)}"
        )
    return list(dict.fromkeys(names))


def enabled_sources() -> list[str]:
    """The sources KPI_SOURCES names, in its order; all of them when it is unset or empty."""
    value = os.environ.get("KPI_SOURCES", "")
    return parse_sources(value) if value.strip() else list(ALL_SOURCES)
