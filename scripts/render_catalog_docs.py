"""Render the metric and KPI catalogs (seeds) as dbt doc blocks for the docs site.

The seeds are the one source of truth; this writes one doc block per catalog with a section
per metric or KPI (definition, formula, unit, grain, owner, ...), shown wherever
`{{ doc("metric_catalog") }}` / `{{ doc("itsm_kpi_catalog") }}` is used.
`python -m scripts.render_catalog_docs --check` exits 1 when a file is out of date (tests).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

KPI_ROLLUPS = {
    "sum": "sum of the facts",
    "ratio": "sum(numerator) / sum(denominator) x scale; null when the denominator is 0",
    "median": "median of the facts",
    "per_distinct": "count / count(distinct caller); null when no caller",
    "difference": "this day's open_backlog minus the previous day's with a value",
}
METRIC_ROLLUPS = {
    "sum": "hours and days are sums",
    "avg": "mean of the samples in an hour, mean of the hours in a day",
    "max": "largest sample in an hour, largest hour in a day",
    "last": "latest sample in an hour, latest hour in a day",
    "derived": "computed in a mart from other metrics",
}


@dataclass(frozen=True)
class Catalog:
    seed: Path
    docs: Path
    block: str
    title: str
    name_field: str
    label_field: str
    rollup_field: str
    rollups: dict[str, str]
    intro: str


CATALOGS = (
    Catalog(
        Path("seeds/metric_definitions.csv"),
        Path("models/marts/metrics/_metrics__catalog.md"),
        "metric_catalog",
        "Metric catalog",
        "metric_name",
        "label",
        "daily_rollup",
        METRIC_ROLLUPS,
        "one row per metric, hour (`fct_metric_values_hourly`) or day "
        "(`fct_metric_values_daily`) and dimension key; ratios are computed in the marts",
    ),
    Catalog(
        Path("seeds/itsm_kpi_definitions.csv"),
        Path("models/marts/itsm/_itsm__kpis.md"),
        "itsm_kpi_catalog",
        "ITSM KPI catalog",
        "kpi_name",
        "kpi_label",
        "aggregation",
        KPI_ROLLUPS,
        "one row per KPI, day and breakdown in `itsm_kpis_daily` (breakdowns: all, "
        "priority_label, assignment_group, category, location, contact_type)",
    ),
)


def rows(catalog: Catalog) -> list[dict[str, str]]:
    with catalog.seed.open(newline="") as handle:
        return list(csv.DictReader(handle))


def render(catalog: Catalog) -> str:
    entries = rows(catalog)
    lines = [
        f"{{% docs {catalog.block} %}}",
        f"**{catalog.title}**: {len(entries)} entries, {catalog.intro}. Generated from seed "
        f"`{catalog.seed.stem}` by `python -m scripts.render_catalog_docs`; edit the seed, "
        "not this text.",
        "",
    ]
    for entry in entries:
        extra = f"; kind: {entry['kind']}; source: {entry['source']}" if "kind" in entry else ""
        lines += [
            f"### {entry[catalog.label_field]} (`{entry[catalog.name_field]}`)",
            f"- Definition: {entry['definition']}",
            f"- Formula: `{entry['formula']}`",
            f"- Unit: {entry['unit']}; grain: {entry['grain']}; owner: {entry['owner']}{extra}",
            f"- Good direction: {entry['direction']}; "
            f"roll-up: {catalog.rollups[entry[catalog.rollup_field]]}",
            "",
        ]
    lines.append("{% enddocs %}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the docs are stale")
    args = parser.parse_args(argv)
    stale = []
    for catalog in CATALOGS:
        text = render(catalog)
        if args.check:
            if not catalog.docs.exists() or catalog.docs.read_text() != text:
                stale.append(str(catalog.docs))
        else:
            catalog.docs.write_text(text)
            print(f"wrote {catalog.docs}")
    if stale:
        print(
            f"out of date: {', '.join(stale)}: run python -m scripts.render_catalog_docs",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
