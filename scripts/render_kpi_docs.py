"""Render the ITSM KPI catalog (seeds/itsm_kpi_definitions.csv) as a dbt doc block.

The seed is the one source of truth; this writes models/marts/itsm/_itsm__kpis.md with a
section per KPI, shown in the docs site wherever `{{ doc("itsm_kpi_catalog") }}` is used.
`python -m scripts.render_kpi_docs --check` exits 1 when the file is out of date (CI).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path

SEED = Path("seeds/itsm_kpi_definitions.csv")
DOCS = Path("models/marts/itsm/_itsm__kpis.md")
AGGREGATIONS = {
    "sum": "sum of the facts",
    "ratio": "sum(numerator) / sum(denominator) x scale; null when the denominator is 0",
    "median": "median of the facts",
    "per_distinct": "count / count(distinct caller); null when no caller",
    "difference": "this day's open_backlog minus the previous day's with a value",
}


def render(seed: Path = SEED) -> str:
    with seed.open(newline="") as handle:
        kpis = list(csv.DictReader(handle))
    lines = [
        "{% docs itsm_kpi_catalog %}",
        f"**ITSM KPI catalog**: {len(kpis)} indicators, one row per KPI, day and breakdown "
        "in `itsm_kpis_daily` (breakdowns: all, priority_label, assignment_group, category, "
        "location, contact_type). Generated from seed `itsm_kpi_definitions` by "
        "`python -m scripts.render_kpi_docs`; edit the seed, not this text.",
        "",
    ]
    for kpi in kpis:
        lines += [
            f"### {kpi['kpi_label']} (`{kpi['kpi_name']}`)",
            f"- Definition: {kpi['definition']}",
            f"- Formula: `{kpi['formula']}`",
            f"- Unit: {kpi['unit']}; grain: {kpi['grain']}; owner: {kpi['owner']}",
            f"- Good direction: {kpi['direction']}; roll-up: {AGGREGATIONS[kpi['aggregation']]}",
            "",
        ]
    lines.append("{% enddocs %}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the docs are stale")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not DOCS.exists() or DOCS.read_text() != text:
            print(f"{DOCS} is out of date: run python -m scripts.render_kpi_docs", file=sys.stderr)
            return 1
        return 0
    DOCS.write_text(text)
    print(f"wrote {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
