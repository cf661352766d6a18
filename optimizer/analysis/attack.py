"""Worst-case strikes (SPEC 10 D1): which K bases, ports or ships hurt the coalition most.

A struck base or port loses its whole capacity, exactly as ``--set bases.ID.capacity={}``
would make it; a sunk escort ship is one unit fewer in its pool (``--set pools.ID.units=N-1``).
The coalition then re-plans optimally with what is left (full re-basing: every pool may move
to any base it could use). For k = 1..K the attacker's best strike is found exactly by
:mod:`optimizer.analysis.interdiction`: cutting planes for every k, and enumeration of every
k-strike for k up to ``check_up_to`` as the reference; where both ran their optima must agree
(the critical sets may differ when two strikes are equally bad).

The defender's value is the instance's primary objective (points); each strike also reports
the front miles, airspace points and sea points its re-plan covers, and the re-plan itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from optimizer.analysis.batch import Batch
from optimizer.analysis.cases import CaseBase
from optimizer.analysis.interdiction import (
    CutBuilder,
    Master,
    Solved,
    Targets,
    Worst,
    base_targets,
    cutting_plane_worst,
    enumerate_worst,
    ship_targets,
)
from optimizer.analysis.robust import KEEP_RULE, Keeper, robust_plan, robust_record
from optimizer.instance.schema import Objective
from optimizer.model.data import ModelData, compile_instance
from optimizer.model.evaluate import coverage, objective_value
from optimizer.model.solve import build_model

KINDS = ("bases", "ships")
METHODS = ("cutting-planes", "enumeration")


@dataclass
class Attack:
    kind: str
    nominal: dict[str, Any]  # the unstruck re-plan's row
    worst: pd.DataFrame  # one row per (k, method)
    replans: dict[int, pd.DataFrame]  # the defender's re-plan after the worst k-strike
    agreement: list[dict[str, Any]]  # per k where both methods ran
    targets: tuple[str, ...]
    solves: int
    seconds: float
    robust: dict[str, Any] | None = None
    robust_tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        from optimizer.analysis.tables import records

        worst = [
            {
                "k": int(r["k"]),
                "removed": r["removed"].split(),
                "objective": r["objective"],
                "front_miles_covered": r["front_miles_covered"],
                "air_points": r["air_points"],
                "sea_points": r["sea_points"],
                "status": r["status"],
                "bound": r["bound"],
                "method": r["method"],
                "seconds": r["seconds"],
            }
            for r in records(self.worst)
        ]
        return {
            "kind": "posture-attack",
            "targets_kind": self.kind,
            "meaning": MEANING[self.kind],
            "targets": list(self.targets),
            "nominal": {
                key: self.nominal.get(key)
                for key in ("objective", "front_miles_covered", "air_points", "sea_points")
            },
            "worst": worst,
            "agreement": self.agreement,
            "solves": self.solves,
            "seconds": self.seconds,
            "robust": self.robust,
        }


MEANING = {
    "bases": "a struck base or port loses its whole capacity (as --set bases.ID.capacity={}); "
    "the coalition then re-plans optimally with every base left",
    "ships": "a sunk escort ship is one unit fewer in its pool (as --set pools.ID.units=N-1); "
    "the coalition then re-plans optimally",
}


def targets_for(kind: str, data: ModelData) -> Targets:
    if kind == "bases":
        return base_targets(data.instance, data)
    if kind == "ships":
        return ship_targets(data.instance, data)
    raise ValueError(f"unknown target kind {kind!r}; expected one of {KINDS}")


def attack(
    base: CaseBase,
    *,
    kind: str = "bases",
    k_max: int = 1,
    method: str = "cutting-planes",
    check_up_to: int = 0,
    jobs: int = 1,
    scheduler: str | None = None,
    max_iterations: int = 500,
    robust: bool = False,
) -> Attack:
    """The worst strikes of k = 1..k_max targets (module docstring)."""
    began = time.perf_counter()
    instance = base.instance()
    data = compile_instance(instance)
    targets = targets_for(kind, data)
    batch = Batch(base, jobs, scheduler)
    solved = Solved(batch, targets, data)
    nominal = solved.evaluate([()])[0]
    k_max = min(k_max, int(targets.limit.sum()))
    use_cuts = method == "cutting-planes"
    if use_cuts and instance.scenario.objective is not Objective.MAX_COVERAGE:
        raise ValueError("cutting planes need the max-coverage objective; use --method enumeration")
    found: list[Worst] = []
    for k in range(1, k_max + 1):
        if method == "enumeration" or k <= check_up_to:
            found.append(enumerate_worst(solved, k))
    if use_cuts:
        builder = CutBuilder(data, targets)
        master = Master(targets, data.k_weight)
        for k in range(1, k_max + 1):
            found.append(
                cutting_plane_worst(solved, master, builder, k, base.options, max_iterations)
            )
    found.sort(key=lambda w: (w.k, w.method != "cutting-planes"))
    worst = pd.DataFrame([_row(w) for w in found])
    agreement = []
    for k in range(1, k_max + 1):
        both = [w for w in found if w.k == k]
        if len(both) == 2 and None not in (both[0].objective, both[1].objective):
            a, b = (float(w.objective) for w in both)  # type: ignore[arg-type]
            agreement.append(
                {"k": k, "cutting_planes": a, "enumeration": b, "agree": abs(a - b) <= 1e-6}
            )
    replans = {}
    for w in found:
        if w.k not in replans and w.counts is not None:
            replans[w.k] = replan_table(data, w.counts)
    result = Attack(
        kind,
        nominal.row,
        worst,
        replans,
        agreement,
        targets.ids,
        batch.solved,
        time.perf_counter() - began,
    )
    if robust:
        if kind != "bases":
            raise ValueError("--robust plans against strikes on bases and ports only")
        assert nominal.counts is not None
        critical = {w.k: tuple(t for t, _ in w.removal) for w in found}
        _add_robust(result, instance, targets, k_max, nominal.counts, critical, base)
        result.seconds = time.perf_counter() - began
    return result


def _add_robust(
    result: Attack,
    instance: Any,
    targets: Targets,
    k_max: int,
    nominal_counts: np.ndarray,
    critical: dict[int, tuple[str, ...]],
    base: CaseBase,
) -> None:
    formulation, _ = build_model(instance)
    keeper = Keeper(formulation, targets, base.options)
    data = formulation.data
    nominal_value = objective_value(data, nominal_counts, coverage(data, nominal_counts))
    rows, records = [], []
    for k in range(1, k_max + 1):
        plan = robust_plan(formulation, targets, k, base.options, [critical[k]])
        nominal_worst = keeper.worst(nominal_counts, k)
        record = robust_record(plan, nominal_value, nominal_worst.kept)
        record["nominal_plan_worst_strike"] = list(nominal_worst.strike)
        records.append(record)
        rows.append(
            {
                "k": k,
                "nominal_optimum": nominal_value,
                "nominal_plan_worst_keep": nominal_worst.kept,
                "nominal_plan_worst_strike": " ".join(nominal_worst.strike),
                "robust_plan_nominal": plan.nominal_coverage,
                "robust_plan_worst_keep": plan.kept,
                "robust_plan_worst_strike": " ".join(plan.worst_strike),
                "price_of_robustness": nominal_value - plan.nominal_coverage,
                "status": plan.status,
                "seconds": plan.seconds,
            }
        )
        result.robust_tables[f"robust_plan_k{k}"] = replan_table(data, plan.counts)
    result.robust_tables["robust"] = pd.DataFrame(rows)
    result.robust_tables["nominal_plan"] = replan_table(data, nominal_counts)
    result.robust = {"keep_rule": KEEP_RULE, "by_k": records}


def _row(w: Worst) -> dict[str, Any]:
    return {
        "k": w.k,
        "removed": " ".join(tid if n == 1 else f"{tid}x{n}" for tid, n in w.removal),
        "objective": w.objective,
        "front_miles_covered": w.row.get("front_miles_covered"),
        "air_points": w.row.get("air_points"),
        "sea_points": w.row.get("sea_points"),
        "status": w.status,
        "bound": w.bound,
        "seconds": w.seconds,
        "method": w.method,
        "evaluated": w.evaluated,
    }


def replan_table(data: ModelData, counts: np.ndarray) -> pd.DataFrame:
    """Stations per (pool, base, station) of a plan on the nominal triples."""
    inst = data.instance
    placed = np.flatnonzero(counts > 0)
    return pd.DataFrame(
        {
            "pool": [inst.pools[data.t_pool[t]].id for t in placed],
            "nation": [inst.pools[data.t_pool[t]].nation for t in placed],
            "base": [inst.bases[data.t_base[t]].id for t in placed],
            "station": [inst.stations[data.t_station[t]].id for t in placed],
            "stations": counts[placed].astype(int),
        }
    )


__all__ = ["KINDS", "METHODS", "Attack", "attack", "replan_table", "targets_for"]
