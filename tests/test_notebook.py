"""The example notebook runs from top to bottom and shows what it says it shows."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "quickstart.ipynb"


def _text(cell: nbformat.NotebookNode) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if "text" in output:
            parts.append(output["text"])
        data = output.get("data", {})
        parts.append(data.get("text/plain", ""))
        parts.append(data.get("text/html", ""))
    return "\n".join(parts)


def test_example_notebook_runs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError on any failing cell
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(
        output.get("output_type") != "error" for cell in code for output in cell.outputs
    )
    shown = [_text(cell) for cell in code]
    assert "proven optimal" in shown[1]  # the baseline's notebook display
    assert "<table" in shown[3] and "<table" in shown[6]  # DataFrames shown as tables
    assert "us_participation" in shown[6]  # the comparison's scenario rows
    assert "FR-RAFALE" in shown[8] and "optimal" in shown[8]  # the sweep table
    assert shown[-1].startswith("(True,")  # the independent checker accepts the plan
