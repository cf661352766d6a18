"""Assembling S1-S4 from solved case rows (see :mod:`optimizer.analysis.sensitivity`)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from optimizer.analysis.duals import pool_duals
from optimizer.analysis.params import format_number, get_path
from optimizer.analysis.station_cost import cheapest_station_units
from optimizer.instance.schema import Instance, Pool

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
    "air_points",
    "sea_points",
    "stations",
    "cost",
)
TITLES = {
    "s1_us_participation": "S1 US participation levels",
    "s2_marginal_value": "S2 marginal value per pool: re-solved MIPs with one unit and one "
    "station's worth more and less, and without the whole pool; units/station is the fewest "
    "units one station of the pool takes at any admissible (base, post), tanker-supported ones "
    "included (the fixed ratio of a pool without sortie/voyage), and a station's worth is that "
    "rounded up; "
    "LP-relaxation duals beside. Ranked by the objective lost without the whole pool, then by "
    "the gain of one more station, one more unit, and the loss of one station, one unit less",
    "s2_nations": "S2 marginal value per nation: re-solved without all of the nation's pools; "
    "ranked by the objective lost",
    "s3_switches": "S3 straits policy and scenario switches against the baseline",
    "s4_tornado": "S4 tornado: one uncertain field at a time at its low and high value, ranked "
    "by swing (|objective at high - objective at low|, in objective units)",
    "s4_force_curve": "S4 coverage versus force level (every pool's whole stations scaled, "
    "rounded half up; a pool's whole stations are its units over the fewest units one station "
    "takes at any admissible (base, post) of the pool, rounded down, so an upper bound on the "
    "stations it keeps at farther posts); where the curve is flat, what caps it",
}
HEADERS = {
    "s2_marginal_value": {
        "units_per_station": "units/station (fewest, any admissible post)",
        "obj_change_plus_1_unit": "Δobj +1 unit",
        "front_mi_change_plus_1_unit": "Δfront mi +1 unit",
        "obj_change_minus_1_unit": "Δobj -1 unit",
        "front_mi_change_minus_1_unit": "Δfront mi -1 unit",
        "station_units": "units in 1 station",
        "obj_change_plus_1_station": "Δobj +1 station",
        "front_mi_change_plus_1_station": "Δfront mi +1 station",
        "obj_change_minus_1_station": "Δobj -1 station",
        "front_mi_change_minus_1_station": "Δfront mi -1 station",
        "obj_change_without_pool": "Δobj without pool",
        "front_mi_change_without_pool": "Δfront mi without pool",
        "lp_relaxation_dual_per_unit": "LP-relaxation dual /unit (not re-solved)",
    },
}


def station_step(per_station: float | None) -> int:
    """Whole units in one station's worth (one more 24/7 post); 1 for a pool without one."""
    if per_station is None:
        return 1
    return max(1, math.ceil(per_station - 1e-9))


def force_scales(steps: int) -> list[float]:
    """Force levels from 0 to 150 % in ``steps`` equal steps."""
    return [MAX_FORCE * k / steps for k in range(steps + 1)]


def whole_stations(pool: Pool, per_station: float | None) -> int:
    """24/7 stations a pool's units sustain at ``per_station`` units each (None: no station;
    see :func:`optimizer.analysis.station_cost.cheapest_station_units`)."""
    if per_station is None:
        return 0
    return math.floor(pool.units / per_station + 1e-9)


def scaled_stations(pool: Pool, per_station: float | None, scale: float) -> int:
    """Whole stations at a force level: rounded half up, never decreasing with the level."""
    return math.floor(whole_stations(pool, per_station) * scale + 0.5 + 1e-9)


def station_units(pool: Pool, per_station: float | None, scale: float) -> int:
    """Units that sustain the pool's scaled whole stations (its own units where unchanged)."""
    stations = scaled_stations(pool, per_station, scale)
    if per_station is None or stations == whole_stations(pool, per_station):
        return pool.units
    return math.ceil(stations * per_station - 1e-9)


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
        self.per_station = cheapest_station_units(instance)

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
            out["s2_nations"] = self.s2_nations()
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
        for pool, per_station in zip(self.instance.pools, self.per_station, strict=True):
            step = station_step(per_station)
            row: dict[str, Any] = {
                "pool": pool.id,
                "nation": pool.nation,
                "capability": pool.capability,
                "units": pool.units,
                "units_per_station": math.nan if per_station is None else per_station,
                "station_units": step,
            }
            statuses = []
            for name in (*(step for step, _ in STEPS), "without_pool"):
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
        order = ["without_pool", "plus_1_station", "plus_1_unit", "minus_1_station", "minus_1_unit"]
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
        columns += ["obj_change_without_pool", "front_mi_change_without_pool"]
        columns += ["lp_relaxation_dual_per_unit", "statuses"]
        return ranked[columns].reset_index(drop=True)

    def s2_nations(self) -> pd.DataFrame:
        """Each nation withdrawn whole (all its pools to 0 units), re-solved."""
        rows = []
        per_station = dict(zip((p.id for p in self.instance.pools), self.per_station, strict=True))
        for nation in self.instance.nations:
            tag = ("s2n", nation.id)
            if tag not in self.tags:
                continue  # offers nothing
            pools = [p for p in self.instance.pools if p.nation == nation.id]
            case = self.row(tag)
            rows.append(
                {
                    "nation": nation.id,
                    "pools": " ".join(p.id for p in pools),
                    "units_offered": sum(p.units for p in pools),
                    "stations_offered": sum(whole_stations(p, per_station[p.id]) for p in pools),
                    "objective_without": case["objective"],
                    "obj_change_without_nation": _delta(
                        self.baseline["objective"], case["objective"]
                    ),
                    "front_miles_change_without_nation": _delta(
                        self.baseline["front_miles_covered"], case["front_miles_covered"]
                    ),
                    "air_points_change_without_nation": _delta(
                        self.baseline.get("air_points"), case.get("air_points")
                    ),
                    "sea_points_change_without_nation": _delta(
                        self.baseline.get("sea_points"), case.get("sea_points")
                    ),
                    "status": case["status"],
                }
            )
        frame = pd.DataFrame(rows)
        if frame.empty:
            return frame
        key = (-self.better * frame["obj_change_without_nation"].fillna(0)).rename("_key")
        frame = frame.assign(_key=key).sort_values(["_key"], ascending=False, kind="stable")
        frame.insert(0, "rank", range(1, len(frame) + 1))
        return frame.drop(columns="_key").reset_index(drop=True)

    def s3(self, switches: tuple[str, ...]) -> pd.DataFrame:
        rows = [{"setting": "baseline"} | self.figures(("baseline",), with_changes=True)]
        for tag in self.tags:
            if tag[0] == "s3":
                rows.append({"setting": tag[1]} | self.figures(tag, with_changes=True))
        return pd.DataFrame(rows)

    def tornado(self, fields: tuple[tuple[str, str, str], ...] | None) -> pd.DataFrame:
        dump = self.instance.model_dump(mode="json")
        rows = []
        for path, low, high in fields or ():
            lo, hi = self.row(("tornado", path, "low")), self.row(("tornado", path, "high"))
            obj_lo = _delta(self.baseline["objective"], lo["objective"])
            obj_hi = _delta(self.baseline["objective"], hi["objective"])
            band = self.instance.uncertainty.get(path)
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
                    "front_miles_low": lo["front_miles_covered"],
                    "front_miles_base": self.baseline["front_miles_covered"],
                    "front_miles_high": hi["front_miles_covered"],
                    "front_miles_swing": abs(
                        _delta(lo["front_miles_covered"], hi["front_miles_covered"])
                    ),
                    "status_low": lo["status"],
                    "status_high": hi["status"],
                    "source": band.source if band is not None else "--tornado",
                }
            )
        columns = ["field", "base_value", "low", "high", "objective_low", "objective_base"]
        columns += ["objective_high", "obj_change_low", "obj_change_high", "swing"]
        columns += ["front_miles_low", "front_miles_base", "front_miles_high", "front_miles_swing"]
        columns += ["status_low", "status_high", "source"]
        frame = pd.DataFrame(rows, columns=columns)
        frame = frame.sort_values(
            ["swing", "front_miles_swing"], ascending=False, kind="stable", na_position="last"
        )
        frame.insert(0, "rank", range(1, len(frame) + 1))
        return frame.reset_index(drop=True)

    def force_curve(self, scales: list[float]) -> pd.DataFrame:
        rows = []
        for k, scale in enumerate(scales):
            pools = list(zip(self.instance.pools, self.per_station, strict=True))
            stations = sum(scaled_stations(p, u, scale) for p, u in pools)
            units = sum(station_units(p, u, scale) for p, u in pools)
            rows.append(
                {"force_pct": round(100 * scale, 6), "stations_offered": stations}
                | {"units_offered": units}
                | self.figures(("force", k))
            )
        frame = pd.DataFrame(rows)
        gain = frame["objective"].diff()
        more = frame["stations_offered"].diff() > 0
        scale = frame["objective"].abs().clip(lower=1.0)
        frame["obj_change_from_previous"] = gain
        # flat: more whole stations offered, no more objective (in the better direction)
        frame["plateau"] = more & (self.better * gain.fillna(1) <= 1e-6 * scale)
        frame["capped_by"] = ""
        return frame


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
