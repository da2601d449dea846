"""notebooks/01-explore.ipynb: committed without outputs, and executed headlessly (nbclient) on a real run."""
import os

import nbformat
import pytest

from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "01-explore.ipynb"


def test_the_committed_notebook_has_no_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert len(code) >= 6
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)


def test_the_notebook_runs_without_an_error_on_the_tables_of_a_run(small_run, monkeypatch):
    from nbclient import NotebookClient

    # The kernel inherits the environment: this checkout's package, and the tables of the small run.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    monkeypatch.setenv("PIPELINE_OUT", str(small_run))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3, "heat map, timeline and money charts"
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "Tô Lâm" in html and "Thongloun Sisoulith" in html
    article = html[html.rindex('class="entities"'):]
    assert "#ffb3ba" in article and "LEADER" in article and "#b9f2a1" in article  # our LEADER and ORG colours
