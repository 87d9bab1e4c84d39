import pytest

from scripts.render_catalog_docs import CATALOGS, main, render, rows


def test_docs_site_catalogs_match_the_seeds():
    assert main(["--check"]) == 0, "run python -m scripts.render_catalog_docs"


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda c: c.block)
def test_every_entry_is_fully_defined(catalog):
    entries = rows(catalog)
    names = [e[catalog.name_field] for e in entries]
    assert len(set(names)) == len(names)
    for entry in entries:
        for field in ("definition", "formula", "unit", "grain", "owner", catalog.label_field):
            assert entry[field].strip(), f"{entry[catalog.name_field]} has no {field}"
        assert entry[catalog.rollup_field] in catalog.rollups
        assert entry["direction"] in ("up", "down", "neutral")
    text = render(catalog)
    assert all(f"(`{name}`)" in text for name in names)


def test_itsm_catalog_has_at_least_42_kpis():
    assert len(rows(CATALOGS[1])) >= 42
