"""The audit notebook runs from top to bottom on the current code (docs/audit.ipynb)."""

from __future__ import annotations

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

DOCS = Path(__file__).resolve().parent.parent / "docs"
NOTEBOOK = DOCS / "audit.ipynb"


def test_notebook_is_committed_without_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, "clear the outputs"


def test_notebook_executes() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(DOCS)}},  # run beside the notebook, as Jupyter does
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3  # the month charts and the scenario comparison
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("not-a-date" in h for h in html)  # the problems table of the damaged copy
    assert sum("Case SYN-" in h for h in html) == 3  # three explanations
