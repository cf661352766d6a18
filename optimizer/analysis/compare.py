"""Two results side by side (SPEC 6, ``compare``): solve run folders or sweep tables.

Run folders (``posture solve``): the summary figures and scenario settings with differences,
the sectors whose coverage changed (largest change first), and the pools and bases whose use
changed. Sweep tables (a sweep folder or its ``cases.csv``): the cases matched on their
parameters, with the differences of their figures, and summary statistics of both.
Differences are always B - A.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from optimizer.analysis.cases import METRICS
from optimizer.analysis.sweepdir import read_table

RUN_FIGURES = (
    "status",
    "objective",
    "best_bound",
    "gap",
    "front_miles_covered",
    "front_miles_total",
    "front_pct",
    "front_sectors_below_threshold",
    "longest_uncovered_miles",
    "air_coverage",
    "sea_coverage",
    "sea_nm_escorted",
    "shipping_protected_per_leg",
    "shipping_protected_end_to_end",
    "stations_placed",
    "cost",
    "us_dependency.static.us_dependent_stations",
    "us_dependency.static.front_miles_lost",
    "us_dependency.static.air_points_lost",
)
SCENARIO_FIELDS = ("us_participation", "straits", "objective", "coverage_mode", "budget")
SWEEP_FIGURES = ("objective", "front_miles_covered", "air_coverage", "sea_coverage")
TITLES = {
    "summary": "Summary (B - A)",
    "sectors": "Sectors whose coverage changed (largest change first)",
    "pools": "Pools whose use changed",
    "bases": "Bases whose load changed",
    "cases": "Cases (matched on their parameters)",
}


class CompareError(ValueError):
    """An input that is neither a solve run folder nor a sweep table (exit code 2)."""


@dataclass
class Side:
    kind: str  # "run" or "sweep"
    path: Path
    label: str
    figures: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


def load(path: str | Path) -> Side:
    path = Path(path)
    if path.is_dir() and (path / "summary.json").is_file():
        summary = json.loads((path / "summary.json").read_text())
        run = json.loads((path / "run.json").read_text()) if (path / "run.json").is_file() else {}
        figures = _flatten(summary)
        for key in SCENARIO_FIELDS:
            figures[f"scenario.{key}"] = (run.get("scenario") or {}).get(key)
        tables = {
            name: pd.read_csv(path / f"{name}.csv")
            for name in ("sectors", "pools", "bases")
            if (path / f"{name}.csv").is_file()
        }
        return Side("run", path, path.name, figures, tables)
    table_file = path / "cases.csv" if path.is_dir() else path
    if table_file.is_file() and table_file.suffix == ".csv":
        table = read_table(table_file)
        missing = [c for c in ("case", "status", *SWEEP_FIGURES) if c not in table.columns]
        if missing:
            raise CompareError(f"{table_file}: not a sweep table (no {', '.join(missing)} column)")
        label = path.name if path.is_dir() else f"{path.parent.name}/{path.name}"
        return Side("sweep", path, label, tables={"cases": table})
    raise CompareError(f"{path}: expected a solve run folder or a sweep folder/cases.csv")


def compare(a: Side, b: Side, tolerance: float = 1e-9) -> dict[str, pd.DataFrame]:
    if a.kind != b.kind:
        raise CompareError(f"cannot compare a {a.kind} ({a.path}) with a {b.kind} ({b.path})")
    if a.kind == "run":
        return {
            "summary": _summary(a.figures, b.figures, (*RUN_FIGURES, *_scenario_keys())),
            "sectors": _sectors(a, b, tolerance),
            "pools": _changed(
                a, b, "pools", ["pool"], ["units_offered", "units_used", "stations"], tolerance
            ),
            "bases": _changed(
                a, b, "bases", ["base", "asset_class"], ["capacity", "load"], tolerance
            ),
        }
    cases_a, cases_b = a.tables["cases"], b.tables["cases"]
    return {
        "summary": _summary(_sweep_stats(cases_a), _sweep_stats(cases_b), None),
        "cases": _cases(cases_a, cases_b),
    }


def _scenario_keys() -> tuple[str, ...]:
    return tuple(f"scenario.{k}" for k in SCENARIO_FIELDS)


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _difference(a: Any, b: Any) -> Any:
    numeric = (int, float, np.integer, np.floating)
    if isinstance(a, bool) or isinstance(b, bool):
        return "" if a == b else "changed"
    if isinstance(a, numeric) and isinstance(b, numeric):
        return float(b) - float(a)
    if a is None and b is None:
        return ""
    return "" if a == b else "changed"


def _summary(a: dict[str, Any], b: dict[str, Any], keys: tuple[str, ...] | None) -> pd.DataFrame:
    keys = keys or tuple(dict.fromkeys([*a, *b]))
    rows = [
        {"figure": k, "a": a.get(k), "b": b.get(k), "b_minus_a": _difference(a.get(k), b.get(k))}
        for k in keys
        if k in a or k in b
    ]
    return pd.DataFrame(rows, columns=["figure", "a", "b", "b_minus_a"])


def _sectors(a: Side, b: Side, tolerance: float) -> pd.DataFrame:
    left, right = a.tables.get("sectors"), b.tables.get("sectors")
    columns = ["sector", "kind", "name", "length", "coverage_a", "coverage_b", "change"]
    if left is None or right is None:
        return pd.DataFrame(columns=[*columns, "length_change"])
    keep = ["sector", "kind", "name", "order", "length", "coverage"]
    merged = left[keep].merge(right[keep], on="sector", how="outer", suffixes=("_a", "_b"))
    for column in ("kind", "name", "order", "length"):
        merged[column] = merged[f"{column}_a"].combine_first(merged[f"{column}_b"])
    merged["change"] = merged["coverage_b"].fillna(0) - merged["coverage_a"].fillna(0)
    # what the change means in miles (front) or nautical miles (sea) of protected line
    merged["length_change"] = merged["change"] * merged["length"].fillna(0)
    merged = merged[merged["change"].abs() > tolerance]
    merged = merged.assign(_size=merged["change"].abs())
    merged = merged.sort_values(
        ["_size", "kind", "order", "sector"], ascending=[False, True, True, True]
    )
    return merged[[*columns, "length_change"]].reset_index(drop=True)


def _changed(
    a: Side, b: Side, name: str, key: list[str], values: list[str], tolerance: float
) -> pd.DataFrame:
    left, right = a.tables.get(name), b.tables.get(name)
    columns = [*key, *(f"{v}_{s}" for v in values for s in ("a", "b")), "change"]
    if left is None or right is None:
        return pd.DataFrame(columns=columns)
    merged = left[key + values].merge(
        right[key + values], on=key, how="outer", suffixes=("_a", "_b")
    )
    used = values[-2] if name == "pools" else values[-1]  # units_used / load
    merged["change"] = merged[f"{used}_b"].fillna(0) - merged[f"{used}_a"].fillna(0)
    differs = np.zeros(len(merged), dtype=bool)
    for v in values:
        differs |= (merged[f"{v}_b"].fillna(0) - merged[f"{v}_a"].fillna(0)).abs().to_numpy() > (
            tolerance
        )
    merged = merged[differs]
    merged = merged.assign(_size=merged["change"].abs()).sort_values(
        ["_size", *key], ascending=[False, *([True] * len(key))], kind="stable"
    )
    return merged[columns].reset_index(drop=True)


def _params(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c != "case" and c not in METRICS]


def _cases(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    common = [c for c in _params(a) if c in _params(b)]
    key = common if common and set(_params(a)) == set(_params(b)) else ["case"]
    figures = ["status", *SWEEP_FIGURES]
    merged = a[["case", *common, *figures] if key != ["case"] else ["case", *figures]].merge(
        b[[*key, *figures]] if key != ["case"] else b[["case", *figures]],
        on=key,
        how="outer",
        suffixes=("_a", "_b"),
    )
    for figure in SWEEP_FIGURES:
        merged[f"{figure}_change"] = merged[f"{figure}_b"] - merged[f"{figure}_a"]
    ordered = [c for c in merged.columns if not c.endswith(("_a", "_b", "_change"))]
    for figure in figures:
        ordered += [f"{figure}_a", f"{figure}_b"]
        if figure in SWEEP_FIGURES:
            ordered.append(f"{figure}_change")
    return merged[ordered].sort_values(ordered[0], kind="stable").reset_index(drop=True)


def _sweep_stats(table: pd.DataFrame) -> dict[str, Any]:
    out: dict[str, Any] = {
        "cases": len(table),
        "optimal": int((table["status"] == "optimal").sum()),
        "without_plan": int(table["objective"].isna().sum()),
    }
    for figure in SWEEP_FIGURES:
        values = table[figure].dropna()
        for stat in ("mean", "min", "max"):
            out[f"{figure}.{stat}"] = float(getattr(values, stat)()) if len(values) else None
    return out
