"""Assembling S1-S4 from solved case rows (see :mod:`optimizer.analysis.sensitivity`)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from optimizer.analysis.duals import pool_duals
from optimizer.analysis.params import format_number, get_path
from optimizer.instance.schema import Instance

LEVELS = ("none", "enablers_only", "full")
STRAITS = ("montreux", "closed")
MAX_FORCE = 1.5
# S2 cells: (name, units added); 0 means one station's worth (see station_step)
STEPS = (("plus_1_unit", 1), ("minus_1_unit", -1), ("plus_1_station", 0), ("minus_1_station", 0))
FIGURES = (
    "status",
    "objective",
    "front_miles_covered",
    "front_pct",
    "longest_uncovered_miles",
    "air_coverage",
    "sea_coverage",
    "stations",
    "cost",
)
TITLES = {
    "s1_us_participation": "S1 US participation levels",
    "s2_marginal_value": "S2 marginal value per pool: re-solved MIPs with one unit and one "
    "station's worth (units_per_station, rounded up) more and less; LP-relaxation duals beside",
    "s3_switches": "S3 straits policy and scenario switches against the baseline",
    "s4_tornado": "S4 tornado: one field at a time, low and high",
    "s4_force_curve": "S4 coverage versus force level (every pool's units scaled)",
}
HEADERS = {
    "s2_marginal_value": {
        "units_per_station": "units/station",
        "obj_change_plus_1_unit": "Δobj +1 unit",
        "front_mi_change_plus_1_unit": "Δfront mi +1 unit",
        "obj_change_minus_1_unit": "Δobj -1 unit",
        "front_mi_change_minus_1_unit": "Δfront mi -1 unit",
        "station_units": "units in 1 station",
        "obj_change_plus_1_station": "Δobj +1 station",
        "front_mi_change_plus_1_station": "Δfront mi +1 station",
        "obj_change_minus_1_station": "Δobj -1 station",
        "front_mi_change_minus_1_station": "Δfront mi -1 station",
        "lp_relaxation_dual_per_unit": "LP-relaxation dual /unit (not re-solved)",
    },
}


def station_step(units_per_station: float) -> int:
    """Whole units in one station's worth (one more 24/7 post)."""
    return max(1, math.ceil(units_per_station - 1e-9))


def force_scales(steps: int) -> list[float]:
    """Force levels from 0 to 150 % in ``steps`` equal steps."""
    return [MAX_FORCE * k / steps for k in range(steps + 1)]


def scaled_units(units: int, scale: float) -> int:
    """Units at a force level: rounded half up, so the curve's inputs never decrease."""
    return math.floor(units * scale + 0.5 + 1e-9)


def _delta(a: Any, b: Any) -> float:
    """b - a, NaN when either is missing."""
    if a is None or b is None:
        return math.nan
    return float(b) - float(a)


class Assembler:
    """Turns {cell tag: case index} and {case index: row} into the tables."""

    def __init__(
        self, instance: Instance, tags: dict[tuple[Any, ...], int], rows: dict[int, dict]
    ) -> None:
        self.instance = instance
        self.tags = tags
        self.rows = rows
        self.baseline = self.row(("baseline",))
        self.better = -1.0 if instance.scenario.objective.minimises else 1.0

    def row(self, tag: tuple[Any, ...]) -> dict[str, Any]:
        return self.rows[self.tags[tag]]

    def figures(self, tag: tuple[Any, ...], with_changes: bool = False) -> dict[str, Any]:
        row = self.row(tag)
        out = {key: row.get(key) for key in FIGURES}
        if with_changes:
            out["obj_change"] = _delta(self.baseline["objective"], row["objective"])
            out["front_mi_change"] = _delta(
                self.baseline["front_miles_covered"], row["front_miles_covered"]
            )
        return out

    def tables(self, request: Any, scales: list[float]) -> dict[str, pd.DataFrame]:
        out: dict[str, pd.DataFrame] = {}
        if "s1" in request.tables:
            out["s1_us_participation"] = self.s1()
        if "s2" in request.tables:
            out["s2_marginal_value"] = self.s2()
        if "s3" in request.tables:
            out["s3_switches"] = self.s3(request.switches)
        if "s4" in request.tables:
            out["s4_tornado"] = self.tornado(request.tornado)
            out["s4_force_curve"] = self.force_curve(scales)
        return out

    def s1(self) -> pd.DataFrame:
        current = self.instance.scenario.us_participation.value
        rows = []
        for tag in sorted((t for t in self.tags if t[0] == "s1"), key=_level_order):
            rows.append(
                {"us_participation": tag[1], "is_baseline": tag[1] == current}
                | self.figures(tag, with_changes=True)
            )
        return pd.DataFrame(rows)

    def s2(self) -> pd.DataFrame:
        base_obj = self.baseline["objective"]
        base_front = self.baseline["front_miles_covered"]
        duals = pool_duals(self.instance)
        rows = []
        for pool in self.instance.pools:
            step = station_step(pool.units_per_station)
            row: dict[str, Any] = {
                "pool": pool.id,
                "nation": pool.nation,
                "capability": pool.capability,
                "units": pool.units,
                "units_per_station": pool.units_per_station,
                "station_units": step,
            }
            statuses = []
            for name, _ in STEPS:
                case = self.row(("s2", pool.id, name))
                row[f"obj_change_{name}"] = _delta(base_obj, case["objective"])
                row[f"front_mi_change_{name}"] = _delta(base_front, case["front_miles_covered"])
                if case["status"] != "optimal":
                    statuses.append(f"{name}: {case['status']}")
            dual = duals.get(pool.id)
            row["lp_relaxation_dual_per_unit"] = math.nan if dual is None else dual
            row["statuses"] = "; ".join(statuses) or "optimal"
            rows.append(row)
        frame = pd.DataFrame(rows)
        order = ["plus_1_station", "plus_1_unit", "minus_1_station", "minus_1_unit"]
        keys = [
            self.better * frame[f"obj_change_{n}"].fillna(0) * (1 if n.startswith("plus") else -1)
            for n in order
        ]
        ranked = frame.assign(**{f"_k{i}": k for i, k in enumerate(keys)})
        ranked = ranked.sort_values(
            [f"_k{i}" for i in range(len(keys))], ascending=False, kind="stable"
        )
        ranked.insert(0, "rank", range(1, len(ranked) + 1))
        columns = ["rank", "pool", "nation", "capability", "units", "units_per_station"]
        columns += [f"obj_change_{n}" for n in ("plus_1_unit", "minus_1_unit")]
        columns += [f"front_mi_change_{n}" for n in ("plus_1_unit", "minus_1_unit")]
        columns += ["station_units"]
        columns += [f"obj_change_{n}" for n in ("plus_1_station", "minus_1_station")]
        columns += [f"front_mi_change_{n}" for n in ("plus_1_station", "minus_1_station")]
        columns += ["lp_relaxation_dual_per_unit", "statuses"]
        return ranked[columns].reset_index(drop=True)

    def s3(self, switches: tuple[str, ...]) -> pd.DataFrame:
        rows = [{"setting": "baseline"} | self.figures(("baseline",), with_changes=True)]
        for tag in self.tags:
            if tag[0] == "s3":
                rows.append({"setting": tag[1]} | self.figures(tag, with_changes=True))
        return pd.DataFrame(rows)

    def tornado(self, fields: tuple[tuple[str, str, str], ...]) -> pd.DataFrame:
        dump = self.instance.model_dump(mode="json")
        rows = []
        for path, low, high in fields:
            lo, hi = self.row(("tornado", path, "low")), self.row(("tornado", path, "high"))
            obj_lo = _delta(self.baseline["objective"], lo["objective"])
            obj_hi = _delta(self.baseline["objective"], hi["objective"])
            rows.append(
                {
                    "field": path,
                    "base_value": _text(get_path(dump, path)),
                    "low": low,
                    "high": high,
                    "objective_low": lo["objective"],
                    "objective_base": self.baseline["objective"],
                    "objective_high": hi["objective"],
                    "obj_change_low": obj_lo,
                    "obj_change_high": obj_hi,
                    "swing": abs(_delta(lo["objective"], hi["objective"])),
                    "front_mi_low": lo["front_miles_covered"],
                    "front_mi_base": self.baseline["front_miles_covered"],
                    "front_mi_high": hi["front_miles_covered"],
                    "status_low": lo["status"],
                    "status_high": hi["status"],
                }
            )
        columns = ["field", "base_value", "low", "high", "objective_low", "objective_base"]
        columns += ["objective_high", "obj_change_low", "obj_change_high", "swing"]
        columns += ["front_mi_low", "front_mi_base", "front_mi_high", "status_low", "status_high"]
        frame = pd.DataFrame(rows, columns=columns)
        return frame.sort_values("swing", ascending=False, kind="stable", na_position="last")

    def force_curve(self, scales: list[float]) -> pd.DataFrame:
        rows = []
        for k, scale in enumerate(scales):
            units = sum(scaled_units(p.units, scale) for p in self.instance.pools)
            rows.append(
                {"force_pct": round(100 * scale, 6), "units_total": units}
                | self.figures(("force", k))
            )
        return pd.DataFrame(rows)


def _level_order(tag: tuple[Any, ...]) -> int:
    return LEVELS.index(tag[1])


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return format_number(float(value))
    return str(value)
