r"""The posture that keeps the most after the worst strike (SPEC 10 D2).

What a plan keeps after a strike. The plan x (stations per pool, base and post) is set before
the strike. A strike of K bases or ports destroys every station flown or sailed from a struck
base; nothing re-bases and nothing moves to another post. The coalition may stand down further
stations where the plan is no longer feasible (a refuelled patrol whose tanker orbit was at a
struck base, the US share cap); what it keeps is the best coverage over such stand-downs:

    keep(x, a) = max { coverage(v) : v <= x,  v_t = 0 for t at a struck base,  v feasible }

(the instance's own model with the stations capped by the plan). The robust posture solves

    max_x  min_{|a| = K}  keep(x, a)

by scenario generation: the master keeps one copy of the model per strike found so far (the
copy's stations at most the plan's and none at a struck base) and maximises the least of their
coverages, an upper bound; the worst strike against the master's plan is found exactly (every
K-strike is bounded from below by the plan minus what it destroys, the interdiction cut of
:mod:`optimizer.analysis.interdiction`, and from above by its coverage with nothing stood
down, exact when the plan minus the struck stations is feasible as it stands; a stand-down
MIP settles the others, lowest bound first), a lower bound,
and is added. They meet after finitely many strikes. Among the plans that keep the optimum,
the one with the most nominal coverage (no strike) is taken (a second solve; should it give
no plan, the first is kept).

The price of robustness is the nominal optimum minus the robust plan's nominal coverage; the
nominal plan's own worst keep is computed the same way, so the two stand side by side.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from optimizer.analysis.interdiction import CutBuilder, Targets
from optimizer.instance.schema import Objective
from optimizer.model.evaluate import coverage, objective_value
from optimizer.model.formulation import Formulation
from optimizer.solvers import SolverOptions, Status, get_backend
from optimizer.solvers.base import INF, MatrixModel

KEEP_RULE = (
    "stations at a struck base are lost; nothing re-bases or moves; other stations may stand "
    "down where the plan is no longer feasible (tanker support, US share); the plan keeps the "
    "best coverage left"
)


@dataclass(frozen=True)
class StrikeValue:
    strike: tuple[str, ...]
    kept: float
    exact: bool  # settled by a stand-down MIP proven optimal or with equal bounds


class Keeper:
    """keep(x, a) for one formulation: bounds for all strikes, exact where needed."""

    def __init__(self, formulation: Formulation, targets: Targets, options: SolverOptions) -> None:
        if formulation.data.instance.scenario.objective is not Objective.MAX_COVERAGE:
            raise ValueError("the robust posture needs the max-coverage objective")
        self.f, self.targets, self.options = formulation, targets, options
        self.builder = CutBuilder(formulation.data, targets)
        self.needs = targets.needs.tocsc()
        self.coverage_c = formulation.phases[0].c  # -coverage (minimisation)
        self.mips = 0
        # rows on the stations alone (C1 C2 C4-counted C8 ...): a plan minus the struck
        # stations that satisfies them is feasible as it stands (coverage rows take y and z as
        # they come), unless it has receivers of fuel at a place (flows to route: a MIP)
        matrix = formulation.matrix.A.tocsc()
        n_x = formulation.n_x
        others = matrix[:, n_x:].tocsr()
        self.x_rows = np.flatnonzero(np.diff(others.indptr) == 0)
        self.x_matrix = matrix[:, :n_x].tocsr()[self.x_rows]
        self.row_lo = formulation.matrix.row_lo[self.x_rows]
        self.row_hi = formulation.matrix.row_hi[self.x_rows]
        self.fuel = self.builder.fuel_receiver

    def feasible_as_is(self, left: np.ndarray) -> bool:
        if (self.fuel & (left > 0)).any():
            return False
        rows = self.x_matrix @ left
        return bool(((rows >= self.row_lo - 1e-9) & (rows <= self.row_hi + 1e-9)).all())

    def killed(self, strike: tuple[str, ...]) -> np.ndarray:
        cols = [self.targets.ids.index(t) for t in strike]
        return np.asarray(self.needs[:, cols].sum(axis=1)).ravel() > 0

    def strikes(self, k: int) -> list[tuple[str, ...]]:
        return list(itertools.combinations(self.targets.ids, min(k, len(self.targets.ids))))

    def worst(self, counts: np.ndarray, k: int) -> StrikeValue:
        """The strike of k targets that leaves the plan ``counts`` the least, exactly."""
        data = self.f.data
        cut = self.builder.cut(counts)
        weight = data.k_weight
        candidates = []
        for strike in self.strikes(k):
            a = np.zeros(len(self.targets.ids))
            a[[self.targets.ids.index(t) for t in strike]] = 1.0
            lam = max(0.0, np.ceil(a @ cut.support - cut.slack - 1e-9))
            lower = float(weight @ np.maximum(0.0, cut.z - a @ cut.loss - lam * cut.refuelled))
            left = np.where(self.killed(strike), 0.0, counts)
            upper = objective_value(data, left, coverage(data, left))
            candidates.append((lower, upper, strike))
        candidates.sort(key=lambda c: (c[0], c[2]))
        best: StrikeValue | None = None
        for lower, upper, strike in candidates:
            if best is not None and lower >= best.kept - 1e-9:
                break
            left = np.where(self.killed(strike), 0.0, counts)
            if upper - lower <= 1e-9 or self.feasible_as_is(left):
                value = StrikeValue(strike, upper, True)
            else:
                value = self.keep(counts, strike)
            if best is None or value.kept < best.kept - 1e-12:
                best = value
        assert best is not None
        return best

    def keep(self, counts: np.ndarray, strike: tuple[str, ...]) -> StrikeValue:
        """The stand-down MIP: the model with stations at most the plan's, none struck."""
        model = self.f.matrix
        col_hi = model.col_hi.copy()
        x = self.f.x_slice
        col_hi[x] = np.minimum(col_hi[x], np.where(self.killed(strike), 0.0, counts))
        m = replace(model, col_hi=col_hi).with_objective(self.coverage_c)
        outcome = get_backend("highs").solve(m, self.options)
        self.mips += 1
        if outcome.x is None:
            return StrikeValue(strike, 0.0, outcome.status is Status.INFEASIBLE)
        left = np.round(outcome.x[x])
        value = objective_value(self.f.data, left, coverage(self.f.data, left))
        return StrikeValue(strike, value, outcome.status is Status.OPTIMAL)


@dataclass
class Robust:
    k: int
    counts: np.ndarray  # the robust plan
    kept: float  # its worst keep (exact)
    upper: float  # the master's bound
    nominal_coverage: float  # its coverage with no strike
    worst_strike: tuple[str, ...]
    scenarios: list[tuple[str, ...]]
    status: str
    seconds: float


def robust_plan(
    formulation: Formulation,
    targets: Targets,
    k: int,
    options: SolverOptions,
    start_strikes: list[tuple[str, ...]] | None = None,
    max_scenarios: int = 40,
) -> Robust:
    """max_x min_a keep(x, a) by scenario generation (module docstring)."""
    began = time.perf_counter()
    keeper = Keeper(formulation, targets, options)
    scenarios: list[tuple[str, ...]] = list(dict.fromkeys(start_strikes or []))
    status = "optimal"
    while True:
        if not scenarios:
            scenarios.append(keeper.strikes(k)[0])
        counts, upper, proven = _master(formulation, keeper, scenarios, options)
        worst = keeper.worst(counts, k)
        if not proven or not worst.exact:
            status = "not proven (a master or stand-down solve stopped early)"
        if worst.kept >= upper - 1e-6 * max(1.0, abs(upper)):
            break
        if worst.strike in scenarios or len(scenarios) >= max_scenarios:
            status = f"stopped with {len(scenarios)} strikes: gap {upper - worst.kept:.6g}"
            break
        scenarios.append(worst.strike)
    data = formulation.data
    nominal = objective_value(data, counts, coverage(data, counts))
    return Robust(
        k,
        counts,
        worst.kept,
        upper,
        nominal,
        worst.strike,
        scenarios,
        status,
        time.perf_counter() - began,
    )


def _master(
    formulation: Formulation,
    keeper: Keeper,
    scenarios: list[tuple[str, ...]],
    options: SolverOptions,
) -> tuple[np.ndarray, float, bool]:
    """max θ: one model copy per strike, stations at most the plan's; then max nominal."""
    base = formulation.matrix
    n = base.shape[1]
    n_x = formulation.n_x
    s = len(scenarios)
    blocks = [base.A] * (s + 1)
    A = sp.block_diag(blocks, format="csr")
    total = n * (s + 1) + 1  # blocks, then θ
    A = sp.hstack([A, sp.csr_matrix((A.shape[0], 1))], format="csr")
    # v^a_x - x_x <= 0
    link_rows, link_cols, link_vals = [], [], []
    for j in range(s):
        o = n * (j + 1)
        r = np.arange(n_x) + j * n_x
        link_rows += [r, r]
        link_cols += [o + np.arange(n_x), np.arange(n_x)]
        link_vals += [np.ones(n_x), -np.ones(n_x)]
    link = sp.csr_matrix(
        (np.concatenate(link_vals), (np.concatenate(link_rows), np.concatenate(link_cols))),
        shape=(s * n_x, total),
    )
    # θ - coverage(block a) <= 0, coverage = -c
    cov = keeper.coverage_c
    theta_rows = sp.lil_matrix((s, total))
    for j in range(s):
        o = n * (j + 1)
        nz = np.flatnonzero(cov)
        for col in nz:
            theta_rows[j, o + col] = cov[col]
        theta_rows[j, total - 1] = 1.0
    A_all = sp.vstack([A, link, theta_rows.tocsr()], format="csr")
    row_lo = np.concatenate([np.tile(base.row_lo, s + 1), np.full(s * n_x + s, -INF)])
    row_hi = np.concatenate([np.tile(base.row_hi, s + 1), np.zeros(s * n_x + s)])
    col_lo = np.concatenate([np.tile(base.col_lo, s + 1), [0.0]])
    col_hi = np.concatenate([np.tile(base.col_hi, s + 1), [INF]])
    for j, strike in enumerate(scenarios):
        o = n * (j + 1)
        col_hi[o : o + n_x][keeper.killed(strike)] = 0.0
    integer = np.concatenate([np.tile(base.integer, s + 1), [False]])
    c = np.zeros(total)
    c[-1] = -1.0
    model = MatrixModel(c, A_all, row_lo, row_hi, col_lo, col_hi, integer)
    backend = get_backend("highs")
    first = backend.solve(model, options)
    if first.x is None:
        raise RuntimeError(f"robust master: {first.status.value} {first.message}")
    first_bound = first.bound if first.bound is not None else first.objective
    if first_bound is None:
        raise RuntimeError(f"robust master: {first.status.value} without a bound")
    theta = -float(first_bound)
    achieved = -float(first.objective) if first.objective is not None else 0.0
    proven = first.status is Status.OPTIMAL
    # among plans keeping θ, the most nominal coverage
    col_lo2 = model.col_lo.copy()
    col_lo2[-1] = achieved - 1e-7 * max(1.0, abs(achieved))
    c2 = np.zeros(total)
    c2[:n] = cov
    second = backend.solve(replace(model, col_lo=col_lo2, c=c2), options)
    # The second solve only chooses among plans that keep θ (HiGHS 1.x has been seen to
    # call it infeasible although the first plan satisfies it): without a plan, keep the first.
    x = second.x if second.x is not None else first.x
    return np.round(x[:n_x]), theta, proven


def robust_record(robust: Robust, nominal: float, nominal_worst: float) -> dict[str, Any]:
    return {
        "k": robust.k,
        "keep_rule": KEEP_RULE,
        "robust_plan_worst_keep": robust.kept,
        "robust_bound": robust.upper,
        "robust_plan_nominal": robust.nominal_coverage,
        "robust_worst_strike": list(robust.worst_strike),
        "nominal_optimum": nominal,
        "nominal_plan_worst_keep": nominal_worst,
        "price_of_robustness": nominal - robust.nominal_coverage,
        "strikes_in_master": [list(s) for s in robust.scenarios],
        "status": robust.status,
        "seconds": robust.seconds,
    }


__all__ = ["KEEP_RULE", "Keeper", "Robust", "robust_plan", "robust_record"]
