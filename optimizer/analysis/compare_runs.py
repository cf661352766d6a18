"""Any number of solve runs side by side (SPEC A8), in the same units everywhere.

The first run is the reference: every other run's difference is ``run - first``. Front in
statute miles, sea lanes in nautical miles, airspace and sea in coverage points (the
objective's units), shipping in transits a month; no bare percentages. Tables:

- ``summary``: one row per figure, a column per run, then a column per later run with its
  difference; the longest uncovered stretch is named by its end sectors, and its move between
  runs is said in words ("F14 Dvorichna - Vovchansk .. F15 → F01 Hola Prystan .. F02");
- ``sectors``: coverage per run and the change in miles (front), nm (sea) or points (air);
- ``nations``, ``stations``, ``pools``, ``bases``: stations, units or load per run, only the
  rows that differ between runs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

TITLES = {
    "summary": "Summary (miles, points; differences from the first run)",
    "sectors": "Sectors whose coverage changed (change in mi, nm or points from the first run)",
    "nations": "Nations whose units or stations changed",
    "stations": "Stations (posts) whose use changed: stations placed",
    "pools": "Pools whose use changed: units used",
    "bases": "Bases whose load changed: units based",
}
SCENARIO_FIELDS = ("us_participation", "straits", "objective", "coverage_mode", "budget")


class CompareError(ValueError):
    """An input that is not a solve run folder, or labels that do not fit (exit code 2)."""


@dataclass
class Run:
    path: Path
    label: str
    summary: dict[str, Any]
    record: dict[str, Any]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def load_run(path: str | Path, label: str | None = None) -> Run:
    path = Path(path)
    if not (path.is_dir() and (path / "summary.json").is_file()):
        raise CompareError(f"{path}: expected a solve run folder (with summary.json)")
    try:
        summary = json.loads((path / "summary.json").read_text())
        run_file = path / "run.json"
        record = json.loads(run_file.read_text()) if run_file.is_file() else {}
    except (OSError, ValueError) as exc:
        raise CompareError(f"{path}: cannot read the run: {exc}") from None
    tables = {
        name: pd.read_csv(path / f"{name}.csv")
        for name in ("sectors", "plan", "pools", "bases", "nations")
        if (path / f"{name}.csv").is_file()
    }
    name = label or record.get("label") or path.name
    return Run(path, str(name), summary, record, tables)


def load_runs(paths: list[str], labels: tuple[str, ...] = ()) -> list[Run]:
    if len(paths) < 2:
        raise CompareError("expected at least two run folders")
    if len(labels) > len(paths):
        raise CompareError(f"{len(labels)} labels for {len(paths)} runs")
    runs = [load_run(p, labels[i] if i < len(labels) else None) for i, p in enumerate(paths)]
    seen: dict[str, int] = {}
    for run in runs:  # labels name columns: make them unique
        seen[run.label] = seen.get(run.label, 0) + 1
        if seen[run.label] > 1:
            run.label = f"{run.label} ({seen[run.label]})"
    return runs


def _points(run: Run, kind: str) -> float | None:
    by_kind = run.summary.get("objective_by_kind") or {}
    return by_kind.get(kind)


def stretch(run: Run) -> str:
    """The longest uncovered stretch by name: 'F14 Dvorichna .. F15 Vovchansk (120 mi)'."""
    s = run.summary
    miles = s.get("longest_uncovered_miles")
    if not miles:
        return "none"
    a, b = s.get("longest_uncovered_from") or {}, s.get("longest_uncovered_to") or {}
    first = f"{a.get('sector', '?')} {a.get('name', '')}".strip()
    last = f"{b.get('sector', '?')} {b.get('name', '')}".strip()
    ends = first if first == last else f"{first} .. {last}"
    return f"{ends} ({miles:.0f} mi)"


def figures(run: Run) -> dict[str, Any]:
    s, sc = run.summary, run.record.get("scenario") or {}
    dep = s.get("us_dependency") or {}
    none: dict[str, Any] = next(
        (lv for lv in dep.get("levels") or [] if lv.get("level") == "none"), {}
    )
    static = dep.get("static") or {}
    routes = s.get("shipping_routes") or []
    out: dict[str, Any] = {
        "status": s.get("status"),
        "objective": s.get("objective"),
        "front_miles_covered": s.get("front_miles_covered"),
        "front_miles_total": s.get("front_miles_total"),
        "front_sectors_below_threshold": s.get("front_sectors_below_threshold"),
        "longest_uncovered_miles": s.get("longest_uncovered_miles"),
        "longest_uncovered_stretch": stretch(run),
        "front_points": _points(run, "front"),
        "air_points": _points(run, "air"),
        "sea_points": _points(run, "sea"),
        "sea_nm_escorted": s.get("sea_nm_escorted"),
        "shipping_transits_protected_per_month": (
            sum(r["transits_protected"] for r in routes) if routes else None
        ),
        "stations_placed": s.get("stations_placed"),
        "cost": s.get("cost"),
        "us_none_front_miles_lost_replanned": none.get("front_miles_lost"),
        "us_none_air_points_lost_replanned": none.get("air_points_lost"),
        "us_front_miles_lost_static": static.get("front_miles_lost"),
    }
    for key in SCENARIO_FIELDS:
        out[f"scenario.{key}"] = sc.get(key)
    return out


def _difference(a: Any, b: Any) -> Any:
    numeric = (int, float, np.integer, np.floating)
    if (
        isinstance(a, bool)
        or isinstance(b, bool)
        or not (isinstance(a, numeric) and isinstance(b, numeric))
    ):
        return "" if a == b else f"{a} → {b}"
    return float(b) - float(a)


def summary_table(runs: list[Run]) -> pd.DataFrame:
    values = [figures(run) for run in runs]
    rows = []
    for key in values[0]:
        row: dict[str, Any] = {"figure": key}
        row |= {run.label: v[key] for run, v in zip(runs, values, strict=True)}
        for run, v in zip(runs[1:], values[1:], strict=True):
            row[f"{run.label} - {runs[0].label}"] = _difference(values[0][key], v[key])
        rows.append(row)
    return pd.DataFrame(rows)


def sectors_table(runs: list[Run], tolerance: float) -> pd.DataFrame:
    frames = [run.tables.get("sectors") for run in runs]
    if any(f is None for f in frames):
        return pd.DataFrame()
    keys = ["sector", "kind", "name", "order", "length", "weight"]
    merged = frames[0][keys].copy()  # type: ignore[index]
    for run, frame in zip(runs, frames, strict=True):
        cov = frame.set_index("sector")["coverage"]  # type: ignore[union-attr]
        merged[f"coverage {run.label}"] = merged["sector"].map(cov).fillna(0.0)
    merged["unit"] = merged["kind"].map({"front": "mi", "sea": "nm", "air": "pts"})
    size = np.where(merged["kind"] == "air", merged["weight"], merged["length"].fillna(0))
    changed = np.zeros(len(merged), dtype=bool)
    first = merged[f"coverage {runs[0].label}"]
    for run in runs[1:]:
        change = merged[f"coverage {run.label}"] - first
        merged[f"{run.label} - {runs[0].label}"] = change * size
        changed |= change.abs().to_numpy() > tolerance
    out = merged[changed].drop(columns=["weight", "length"])
    return out.sort_values(["kind", "order", "sector"], kind="stable").reset_index(drop=True)


def _by(
    runs: list[Run], table: str, key: list[str], value: str, tolerance: float, frame_of=None
) -> pd.DataFrame:
    merged: pd.DataFrame | None = None
    for run in runs:
        frame = frame_of(run) if frame_of else run.tables.get(table)
        if frame is None:
            return pd.DataFrame()
        part = frame.groupby(key, as_index=False)[value].sum().rename(columns={value: run.label})
        merged = part if merged is None else merged.merge(part, on=key, how="outer")
    assert merged is not None
    labels = [run.label for run in runs]
    merged[labels] = merged[labels].fillna(0.0)
    spread = merged[labels].max(axis=1) - merged[labels].min(axis=1)
    for run in runs[1:]:
        merged[f"{run.label} - {runs[0].label}"] = merged[run.label] - merged[runs[0].label]
    return merged[spread > tolerance].sort_values(key, kind="stable").reset_index(drop=True)


def compare_runs(runs: list[Run], tolerance: float = 1e-9) -> dict[str, pd.DataFrame]:
    return {
        "summary": summary_table(runs),
        "sectors": sectors_table(runs, tolerance),
        "nations": _by(runs, "nations", ["nation"], "stations", tolerance),
        "stations": _by(runs, "plan", ["station"], "stations", tolerance),
        "pools": _by(runs, "pools", ["pool"], "units_used", tolerance),
        "bases": _by(runs, "bases", ["base", "asset_class"], "load", tolerance),
    }


def headline(runs: list[Run]) -> list[str]:
    """The runs, and how the longest uncovered stretch moves, in words."""
    lines = [
        f"{chr(65 + i) if i < 26 else i + 1} = {run.label}  ({run.path})"
        for i, run in enumerate(runs)
    ]
    first = stretch(runs[0])
    for run in runs[1:]:
        here = stretch(run)
        verb = "stays at" if here.split(" (")[0] == first.split(" (")[0] else "moves"
        lines.append(
            f"longest uncovered stretch, {runs[0].label} → {run.label}: "
            + (f"{verb} {here}" if verb == "stays at" else f"{first} → {here}")
        )
    return lines
