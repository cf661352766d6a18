"""The comparison report: Markdown of the compare tables, and the folder that keeps them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from optimizer.analysis import compare_runs
from optimizer.analysis.compare import TITLES
from optimizer.analysis.tables import to_markdown, write_tables
from optimizer.results import write_folder


def render(label_a: str, label_b: str, tables: dict[str, pd.DataFrame]) -> str:
    """The tables of :func:`optimizer.analysis.compare.compare` as one Markdown report."""
    parts = [f"# Compare\n\nA = {label_a}\nB = {label_b}"]
    for name, frame in tables.items():
        parts.append(f"\n## {TITLES[name]}\n")
        parts.append(to_markdown(frame) if not frame.empty else "_(no changes)_")
    return "\n".join(parts)


def render_runs(runs: list[compare_runs.Run], tables: dict[str, pd.DataFrame]) -> str:
    """The tables of :func:`optimizer.analysis.compare_runs.compare_runs` as Markdown."""
    parts = ["# Compare\n", *compare_runs.headline(runs)]
    for name, frame in tables.items():
        parts.append(f"\n## {compare_runs.TITLES[name]}\n")
        parts.append(to_markdown(frame) if not frame.empty else "_(no changes)_")
    return "\n".join(parts)


def write_compare(target: str | Path, tables: dict[str, pd.DataFrame], text: str) -> Path:
    """Write the tables as CSV and ``text`` as compare.md into the new folder ``target``
    (``target-2``, ``target-3`` ... if it exists); returns the folder written."""
    target = Path(target)

    def fill(folder: Path) -> None:
        write_tables(folder, tables)
        (folder / "compare.md").write_text(text + "\n")

    return write_folder(target.parent, target.name, fill)
