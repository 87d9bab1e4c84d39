import csv

from scripts.render_kpi_docs import AGGREGATIONS, SEED, main, render


def test_docs_site_kpi_catalog_matches_the_seed():
    assert main(["--check"]) == 0, "run python -m scripts.render_kpi_docs"


def test_every_kpi_is_fully_defined():
    with SEED.open(newline="") as handle:
        kpis = list(csv.DictReader(handle))
    assert len(kpis) >= 42
    assert len({k["kpi_name"] for k in kpis}) == len(kpis)
    for kpi in kpis:
        for field in ("kpi_label", "definition", "formula", "unit", "grain", "owner"):
            assert kpi[field].strip(), f"{kpi['kpi_name']} has no {field}"
        assert kpi["aggregation"] in AGGREGATIONS
        assert kpi["direction"] in ("up", "down", "neutral")
    text = render()
    assert all(f"(`{k['kpi_name']}`)" in text for k in kpis)
