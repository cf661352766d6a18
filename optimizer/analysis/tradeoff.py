r"""Trade-offs (SPEC 9 A6): front against airspace (or sea), and coverage against budget.

Points of a kind of sector: P_j(x) = Σ_{k of kind j} w_k z_k, the part of the objective that
kind earns (front, air, sea), each evaluated from the integer plan.

Pareto frontier of two kinds (a, b) by the ε-constraint method: the two ends are the
lexicographic optima (max P_b, then max P_a; and max P_a, then max P_b); between them, for each
ε on an even grid of P_b between its values at the two ends,

    1. max P_a        s.t.  P_b >= ε, every constraint of the instance
    2. max P_b        s.t.  P_a >= P_a* (1 - 1e-9), P_b >= ε
    3. max P_other    s.t.  both kept (the third kind, so that a point is not wasteful)

Phase 2 makes every point non-dominated (no plan has more of one and no less of the other);
a point is "proven" when every phase is proven optimal. Points that repeat are kept once.
The frontier of integer plans may be non-convex: the ε-constraint finds points a weighted sum
would miss.

Coverage against budget: the objective re-optimised with ``scenario.budget`` = B for B on an
even grid from 0 to the cost of the unconstrained optimum (cheapest such plan), solved on the
sweep executors like any ``--set`` variant.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from optimizer.analysis.batch import Batch
from optimizer.analysis.cases import CaseBase
from optimizer.instance.schema import SectorKind
from optimizer.model.evaluate import coverage
from optimizer.model.formulation import Formulation
from optimizer.model.solve import build_model
from optimizer.solvers import SolverOptions, Status, get_backend
from optimizer.solvers.base import INF, MatrixModel

KINDS = ("front", "air", "sea")


@dataclass
class Tradeoff:
    axes: tuple[str, str]
    frontier: pd.DataFrame
    budget: pd.DataFrame
    seconds: dict[str, float]

    def as_dict(self) -> dict[str, Any]:
        from optimizer.analysis.tables import records

        return {
            "kind": "posture-tradeoff",
            "axes": list(self.axes),
            "frontier": records(self.frontier),
            "budget": records(self.budget),
            "seconds": self.seconds,
        }


class Points:
    """The points of each kind as linear functions of the model's z columns."""

    def __init__(self, formulation: Formulation) -> None:
        data = formulation.data
        self.f = formulation
        n = formulation.matrix.shape[1]
        kinds = list(SectorKind)
        self.vector: dict[str, np.ndarray] = {}
        for name in KINDS:
            vec = np.zeros(n)
            mask = data.k_kind == kinds.index(SectorKind(name))
            vec[formulation.z_slice] = np.where(mask, data.k_weight, 0.0)
            self.vector[name] = vec

    def of(self, counts: np.ndarray) -> dict[str, float]:
        data = self.f.data
        cov = coverage(data, counts)
        kinds = list(SectorKind)
        out = {}
        for name in KINDS:
            mask = data.k_kind == kinds.index(SectorKind(name))
            out[f"{name}_points"] = float(data.k_weight[mask] @ cov.sector[mask])
        front = data.k_kind == kinds.index(SectorKind.FRONT)
        out["front_miles_covered"] = float(data.k_length[front] @ cov.sector[front])
        out["objective"] = float(data.k_weight @ cov.sector)
        out["cost"] = float(data.t_cost @ counts)
        out["stations"] = int(counts.sum())
        return out


def _lexicographic(
    model: MatrixModel,
    points: Points,
    order: list[str],
    options: SolverOptions,
    solver: str,
) -> tuple[np.ndarray | None, bool]:
    """max the kinds in ``order`` one after another, each keeping the ones before."""
    backend = get_backend(solver)
    proven = True
    x = None
    for name in order:
        vec = points.vector[name]
        outcome = backend.solve(model.with_objective(-vec), options, x)
        if outcome.x is None:
            return x, False
        proven = proven and outcome.status is Status.OPTIMAL
        x = outcome.x
        value = float(vec @ x)
        # keep this kind's value (its z columns may carry slack: keep what the solver had)
        model = model.with_row(vec, value - 1e-9 * max(1.0, abs(value)) - 1e-9, INF, name)
    return x, proven


def frontier(
    formulation: Formulation,
    axes: tuple[str, str],
    steps: int,
    options: SolverOptions,
    solver: str = "highs",
) -> pd.DataFrame:
    a, b = axes
    other = next(k for k in KINDS if k not in axes)
    points = Points(formulation)
    model = formulation.matrix
    x_slice = formulation.x_slice
    rows = []

    def record(x: np.ndarray | None, proven: bool, epsilon: float | None) -> None:
        if x is None:
            return
        counts = np.round(x[x_slice])
        rows.append({"epsilon": epsilon, **points.of(counts), "status": _status(proven)})

    began = time.perf_counter()
    x_b, proven_b = _lexicographic(model, points, [b, a, other], options, solver)
    x_a, proven_a = _lexicographic(model, points, [a, b, other], options, solver)
    record(x_a, proven_a, None)
    if x_a is not None and x_b is not None and steps > 2:
        low = points.of(np.round(x_a[x_slice]))[f"{b}_points"]
        high = points.of(np.round(x_b[x_slice]))[f"{b}_points"]
        for epsilon in np.linspace(low, high, steps)[1:-1]:
            bounded = model.with_row(points.vector[b], float(epsilon), INF, f"eps_{b}")
            x, proven = _lexicographic(bounded, points, [a, b, other], options, solver)
            record(x, proven, float(epsilon))
    record(x_b, proven_b, None)
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table = table.drop_duplicates(subset=[f"{a}_points", f"{b}_points"]).reset_index(drop=True)
    table["seconds"] = time.perf_counter() - began
    table.insert(0, "point", np.arange(len(table)))
    return table


def _status(proven: bool) -> str:
    return "optimal" if proven else "not proven"


def non_dominated(table: pd.DataFrame, a: str, b: str, tol: float = 1e-6) -> bool:
    """No point has at least as much of both and more of one than another point."""
    values = table[[f"{a}_points", f"{b}_points"]].to_numpy()
    for i, p in enumerate(values):
        for j, q in enumerate(values):
            if i != j and (q >= p - tol).all() and (q > p + tol).any():
                return False
    return True


def budget_curve(batch: Batch, top: float, steps: int) -> pd.DataFrame:
    budgets = [float(b) for b in np.linspace(0.0, top, steps)]
    rows = batch.solve({b: (f"scenario.budget={b!r}",) for b in budgets})
    return pd.DataFrame(
        [
            {
                "budget": b,
                "objective": rows[b].get("objective"),
                "front_miles_covered": rows[b].get("front_miles_covered"),
                "air_points": rows[b].get("air_points"),
                "sea_points": rows[b].get("sea_points"),
                "cost": rows[b].get("cost"),
                "stations": rows[b].get("stations"),
                "status": rows[b].get("status"),
            }
            for b in budgets
        ]
    )


def tradeoff(
    base: CaseBase,
    *,
    axes: tuple[str, str] = ("front", "air"),
    steps: int = 9,
    budget_steps: int = 9,
    jobs: int = 1,
    scheduler: str | None = None,
) -> Tradeoff:
    if len(set(axes)) != 2 or not set(axes) <= set(KINDS):
        raise ValueError(f"axes must be two of {KINDS}")
    instance = base.instance()
    seconds: dict[str, float] = {}
    began = time.perf_counter()
    formulation, _ = build_model(instance)  # every constraint, the budget included
    table = frontier(formulation, axes, steps, base.options, base.solver)
    seconds["frontier"] = time.perf_counter() - began
    began = time.perf_counter()
    batch = Batch(base, jobs, scheduler)
    top = batch.one(("scenario.budget=null",)).get("cost") or 0.0
    # each budget is one more override over the instance's own fixed ones
    budget = budget_curve(batch, float(top), budget_steps)
    seconds["budget"] = time.perf_counter() - began
    return Tradeoff(axes, table, budget, seconds)


__all__ = ["KINDS", "Tradeoff", "budget_curve", "frontier", "non_dominated", "tradeoff"]
