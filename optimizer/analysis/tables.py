"""Analysis tables out: Markdown for people, CSV and JSON records for machines.

A table is a pandas DataFrame; its CSV uses the results writer's conventions (no index, ten
significant digits), its Markdown rounds for reading and may rename columns to short headers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from optimizer.results.writer import write_csv


def to_markdown(
    frame: pd.DataFrame, headers: Mapping[str, str] | None = None, digits: int = 4
) -> str:
    """A GitHub Markdown table; floats to ``digits`` significant digits, empty cells for NaN."""
    if frame.empty:
        return "_(no rows)_"
    shown = frame.copy()
    for column in shown.columns:
        shown[column] = [_cell(v, digits) for v in shown[column]]
    if headers:
        shown = shown.rename(columns=dict(headers))
    return shown.to_markdown(index=False, disable_numparse=True)


def write_tables(
    folder: Path,
    tables: Mapping[str, pd.DataFrame],
    headers: Mapping[str, Mapping[str, str]] | None = None,
) -> None:
    """``name.csv`` and ``name.md`` for every table."""
    for name, frame in tables.items():
        write_csv(frame, folder / f"{name}.csv")
        (folder / f"{name}.md").write_text(to_markdown(frame, (headers or {}).get(name)) + "\n")


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (NaN -> None, NumPy scalars -> Python)."""
    out = []
    for row in frame.to_dict("records"):
        out.append({str(k): _plain(v) for k, v in row.items()})
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _cell(value: Any, digits: int) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value == 0:
            return "0"
        text = format(value, f".{digits}g")
        return text if "e" not in text else format(value, f".{digits}e")
    return str(value)
