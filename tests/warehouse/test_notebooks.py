"""After `make test-duckdb test-postgres`: every notebook runs top to bottom on the demo
warehouse (DuckDB) with papermill, the KPI history also on PostgreSQL, and no notebook
is committed with outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill
import pytest

NOTEBOOKS = sorted(Path("notebooks").glob("*.ipynb"))
ROOT = Path.cwd()


def execute(notebook: Path, tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    out = tmp_path / notebook.name
    papermill.execute_notebook(
        str(notebook), str(out), parameters=parameters, cwd=str(ROOT), progress_bar=False
    )
    return nbformat.read(out, as_version=4)


def figures(notebook: nbformat.NotebookNode) -> list[dict]:
    return [
        output["data"]["application/vnd.plotly.v1+json"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "application/vnd.plotly.v1+json" in output.get("data", {})
    ]


def test_there_are_the_three_notebooks():
    assert [n.stem for n in NOTEBOOKS] == ["batch_durations", "kpi_history", "ticket_flow"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(notebook):
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, notebook


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_on_the_demo_warehouse_and_draws(notebook, tmp_path):
    done = execute(notebook, tmp_path, target="duckdb")
    (figure,) = figures(done)
    traces = figure["data"]
    assert traces and all(t.get("x") is not None or t["type"] == "sankey" for t in traces)
    if notebook.stem == "ticket_flow":
        assert traces[0]["type"] == "sankey" and len(traces[0]["link"]["value"]) >= 5


@pytest.mark.parametrize(
    ("kpi", "target"),
    [("open_backlog", "postgres"), ("ga4_sessions", "duckdb"), ("service_up", "postgres")],
)
def test_kpi_history_takes_any_kpi_or_metric_on_either_target(kpi, target, tmp_path):
    (figure,) = figures(
        execute(Path("notebooks/kpi_history.ipynb"), tmp_path, kpi=kpi, target=target)
    )
    assert kpi in figure["layout"]["title"]["text"]


def test_an_unknown_kpi_is_named(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError, match="neither an ITSM KPI"):
        execute(Path("notebooks/kpi_history.ipynb"), tmp_path, kpi="nope", target="duckdb")
