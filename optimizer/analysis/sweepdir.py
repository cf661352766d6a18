"""A sweep folder, written incrementally so an interrupted sweep keeps its finished cases.

Unlike a solve's run folder (written atomically, all or nothing), a sweep folder is created
first and filled as cases finish:

- ``sweep.json``: what the sweep is (instance, hash, varied fields, solver, chain length) and
  its state (``running``, ``interrupted``, ``complete``); rewritten atomically;
- ``cases.csv``: one row per finished case, appended (and flushed) as each case finishes;
  re-sorted by case index when the sweep completes;
- ``plans.jsonl``: each finished case's plan (nonzero columns only), so a resumed sweep
  warm-starts the next case from exactly the plan an uninterrupted sweep would have used.

A row cut short by a hard kill (a last line without its newline) is dropped when read back.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from optimizer.analysis.cases import METRICS, CaseResult, Plan
from optimizer.results.writer import to_json

CASES = "cases.csv"
PLANS = "plans.jsonl"
SPEC = "sweep.json"


class SweepFolder:
    """Appends rows and plans to one sweep folder."""

    def __init__(self, path: Path, columns: list[str]) -> None:
        self.path = path
        self.columns = columns

    # -- creating and opening ----------------------------------------------------------------

    @classmethod
    def create(
        cls, parent: Path, name: str, spec: dict[str, Any], columns: list[str]
    ) -> SweepFolder:
        """A new folder ``parent/sweep-<name>`` (``-2``, ``-3`` ... if taken); never reused."""
        parent.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:80]
        for attempt in range(1, 1000):
            path = parent / (f"sweep-{safe}" if attempt == 1 else f"sweep-{safe}-{attempt}")
            try:
                path.mkdir()
            except FileExistsError:
                continue
            folder = cls(path, columns)
            folder.write_spec({**spec, "state": "running", "columns": columns})
            with open(path / CASES, "w", newline="") as handle:
                csv.writer(handle, lineterminator="\n").writerow(columns)
            (path / PLANS).touch()
            return folder
        raise FileExistsError(f"no free sweep folder name under {parent}")

    @classmethod
    def open(cls, path: Path) -> SweepFolder:
        """An existing folder, its files cut back to their last complete line."""
        spec = read_spec(path)
        for name in (CASES, PLANS):
            _repair(path / name)
        return cls(path, list(spec["columns"]))

    # -- state ---------------------------------------------------------------------------------

    def write_spec(self, spec: dict[str, Any]) -> None:
        _atomic_write(self.path / SPEC, to_json(spec) + "\n")

    def set_state(self, state: str, **extra: Any) -> None:
        spec = read_spec(self.path)
        spec.update(state=state, updated_utc=_now(), **extra)
        self.write_spec(spec)

    # -- rows and plans --------------------------------------------------------------------------

    def append(self, result: CaseResult, params: dict[str, str]) -> None:
        """Add one finished case: its row to cases.csv, its plan to plans.jsonl."""
        if result.plan is not None:
            x = result.plan.x
            nz = np.flatnonzero(x)
            record = {
                "case": result.index,
                "layout": result.plan.layout,
                "n": len(x),
                "idx": nz.tolist(),
                "val": x[nz].tolist(),
            }
            _append_line(self.path / PLANS, json.dumps(record))
        values = {"case": result.index, **params, **result.row}
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(
            [_cell(values.get(column)) for column in self.columns]
        )
        _append_line(self.path / CASES, buffer.getvalue().rstrip("\n"))

    def rows(self) -> pd.DataFrame:
        """The finished rows (text cells), without a half-written last line."""
        text = _complete_lines(self.path / CASES)
        if not text.strip():
            return pd.DataFrame(columns=self.columns)
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        return frame

    def plans(self) -> dict[int, Plan]:
        out: dict[int, Plan] = {}
        for line in _complete_lines(self.path / PLANS).splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            x = np.zeros(int(record["n"]))
            x[np.asarray(record["idx"], dtype=np.int64)] = np.asarray(record["val"], dtype=float)
            out[int(record["case"])] = Plan(str(record["layout"]), x)
        return out

    def finalize(self, expected: dict[int, dict[str, str]]) -> pd.DataFrame:
        """Keep one row per expected case (index and parameters match), sorted by case index,
        rewritten atomically; return the table with typed values."""
        frame = self.rows()
        keep = [matches(record, expected) for record in frame.to_dict("records")]
        frame = frame[pd.Series(keep, index=frame.index, dtype=bool)]
        frame = frame.drop_duplicates(subset=["case"], keep="first")
        frame = frame.sort_values("case", key=lambda s: s.astype(int), kind="stable")
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, lineterminator="\n")
        _atomic_write(self.path / CASES, buffer.getvalue())
        return read_table(self.path / CASES)


def matches(record: dict[str, Any], expected: dict[int, dict[str, str]]) -> bool:
    """Whether a table row is the expected case: same index, same parameter values."""
    try:
        params = expected.get(int(record["case"]))
    except (KeyError, ValueError):
        return False
    return params is not None and all(str(record.get(k, "")) == v for k, v in params.items())


def read_spec(path: Path) -> dict[str, Any]:
    spec_file = path / SPEC
    if not spec_file.is_file():
        raise FileNotFoundError(f"{path}: not a sweep folder (no {SPEC})")
    return json.loads(spec_file.read_text())


def read_table(path: Path) -> pd.DataFrame:
    """A sweep table (cases.csv) with numbers as numbers and parameters as text."""
    text = _complete_lines(path)
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    numeric = [c for c in frame.columns if c in _NUMERIC or c == "case"]
    for column in numeric:
        frame[column] = pd.to_numeric(frame[column].replace("", np.nan))
    if "warm_start" in frame:
        frame["warm_start"] = frame["warm_start"].map({"True": True, "False": False})
    return frame


# Every figure a case reports is a number, but for these.
_NUMERIC = set(METRICS) - {"status", "warm_start", "message"}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if not np.isfinite(value) else repr(value)
    return " ".join(str(value).split("\n"))


def _append_line(path: Path, line: str) -> None:
    with open(path, "a", newline="") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _complete_lines(path: Path) -> str:
    text = path.read_text() if path.is_file() else ""
    if text and not text.endswith("\n"):
        text = text[: text.rfind("\n") + 1]  # the last line was cut short
    return text


def _repair(path: Path) -> None:
    """Drop a last line without its newline (a write cut short), so appends start clean."""
    if not path.is_file():
        return
    size = path.stat().st_size
    if size == 0:
        return
    with open(path, "rb+") as handle:
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return
        handle.seek(0)
        keep = handle.read().rfind(b"\n") + 1
        handle.truncate(keep)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
