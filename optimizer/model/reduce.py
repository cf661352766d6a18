r"""Root reduction of the primary phase: an LP bound, a kernel plan, reduced-cost fixing.

For the primary phase's MIP  min c x  s.t.  lo <= A x <= hi,  l <= x <= u,  x_I integer:

1. **LP bound.** The LP relaxation is solved once (HiGHS; primal simplex where placing
   nothing is feasible, else interior point then crossover: covering LPs are degenerate and
   dual simplex crawls on them). Its row duals y, clipped to
   the signs that make the bound valid (y_i >= 0 only where lo_i is finite, y_i <= 0 only where
   hi_i is), give the Lagrangian bound

       c x >= L(y) = Σ_i y_i b_i(y) + Σ_j min(r_j l_j, r_j u_j),   r = c - Aᵀ y,

   for every feasible x, with b_i = lo_i where y_i > 0 and hi_i where y_i < 0. It is computed
   here from y in float64 arithmetic, so it holds whatever the LP solver's tolerances were
   (any y gives a valid bound; the LP's y gives a tight one).
2. **Kernel plan.** The MIP restricted to a kernel of integer columns, the LP's support and the
   ones of least reduced cost r_j (the others fixed at their bound), solved with the chosen
   backend: a plan of the full model (same rows, narrower bounds) and usually an optimal one,
   since the LP bound of covering models is tight. Value z_inc = c x̂.
3. **Reduced-cost fixing.** Each term of the bound is one column's: for every feasible x,
   c x >= L + r_j (x_j - l_j) when r_j > 0 (and L + r_j (x_j - u_j) when r_j < 0). So every
   plan at least as good as x̂ (c x <= z_inc) has x_j <= l_j + floor((z_inc - L) / r_j), and
   that becomes x_j's upper bound (symmetrically the lower bound). Nothing as good as the
   kernel plan is cut off; on SJC818 (S = 800, p = 10) 458 of 818 sites go.
4. The primary phase is then solved on the tightened model, started from x̂. Its optimum is
   the better of x̂ and the tightened model's optimum; a valid bound of the full model is
   max(L, min(z_inc, the tightened model's bound)). When x̂ already meets L within the gap,
   no MIP is solved at all.

Only the primary phase is reduced: the tie-break phases choose among all primary optima, some
of which the fixing may remove (those tied with x̂), so they run on the full model.

The reduction is skipped (``Reduction.applied`` False, the full model is solved as before) when
the LP is not solved to optimality within its time share, a column with an infinite bound
has a reduced cost that makes L infinite, or no kernel plan is found.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np

from optimizer.solvers.base import Backend, MatrixModel, Outcome, SolverOptions, Status

# Mid-size MIPs: below this, HiGHS alone is already fast (the F1 baseline has 2,232
# nonzeros, the 1,000-sector rung 25,460) and an extra LP and MIP would only add time ...
REDUCE_MIN_NONZEROS = 30_000
# ... and from this on the LP alone takes longer than the fixing repays: on the
# 10,000-sector rung (858,208 nonzeros, 55 s limit) it had not finished within its quarter of
# the limit at load 3, and its LP bound, 4 % above the optimum as on the 3,000-sector rung,
# would have fixed nothing. OR-Library scpnrf (505,814) and SJC818 (72,766) lie below it.
REDUCE_MAX_NONZEROS = 600_000
KERNEL_MIN = 50  # columns in the kernel, at least (LP support plus least reduced costs)
KERNEL_SUPPORT_FACTOR = 2  # ... and at least this many times the LP's support
LP_SHARE = 0.25  # of the time limit, at most, for the LP
KERNEL_SHARE = 0.25  # of the time limit, at most, for the kernel MIP
KERNEL_LP_FACTOR = 2.0  # the kernel MIP's time cap: this many times the LP's seconds ...
KERNEL_MIN_SECONDS = 1.0  # ... and at least this
SUPPORT_TOLERANCE = 1e-6  # an LP value above its lower bound by more than this is in support


@dataclass(frozen=True)
class Reduction:
    """What the root reduction found. ``model`` has the tightened bounds; ``start`` is the
    kernel plan (a full column vector); ``bound`` the Lagrangian bound L (min sense)."""

    applied: bool
    model: MatrixModel
    start: np.ndarray | None = None
    incumbent: float | None = None  # c x̂
    bound: float | None = None  # L(y)
    fixed: int = 0  # integer columns whose range the fixing narrowed to one value
    narrowed: int = 0  # integer columns whose range it narrowed at all
    integer_columns: int = 0
    phases: list[dict[str, object]] = field(default_factory=list)
    note: str = ""  # why it was not applied
    seconds: float = 0.0  # the LP and the kernel MIP
    reduced_costs: np.ndarray | None = None  # r = c - Aᵀy, those the fixing used

    def closes(self, gap: float) -> bool:
        """The kernel plan is optimal within ``gap`` by the LP bound alone."""
        if self.incumbent is None or self.bound is None:
            return False
        return self.incumbent - self.bound <= max(gap * max(1.0, abs(self.incumbent)), 1e-9)


def worth_reducing(model: MatrixModel, greedy_min_nonzeros: int) -> bool:
    """Mid-size MIPs only (REDUCE_MIN_NONZEROS, REDUCE_MAX_NONZEROS; never where the greedy
    start of the largest models applies)."""
    most = min(REDUCE_MAX_NONZEROS, greedy_min_nonzeros)
    return bool(model.integer.any()) and REDUCE_MIN_NONZEROS <= model.A.nnz < most


def reduce_root(
    model: MatrixModel,
    backend: Backend,
    options: SolverOptions,
    start: np.ndarray | None = None,
    label: str = "primary",
) -> Reduction:
    """The root reduction of ``model`` (its objective set): see the module docstring."""
    phases: list[dict[str, object]] = []
    limit = options.time_limit
    lp = _solve_lp(model, None if limit is None else LP_SHARE * limit)
    phases.append(
        {
            "phase": f"{label} (LP bound)",
            "status": lp.status.value,
            "seconds": lp.seconds,
            "objective": lp.objective,
            "bound": lp.bound,
        }
    )
    if lp.status is not Status.OPTIMAL or lp.x is None or "row_dual" not in lp.extra:
        return Reduction(False, model, phases=phases, note="LP not solved", seconds=lp.seconds)
    y = np.asarray(lp.extra["row_dual"], dtype=float)
    bound, reduced = lagrangian_bound(model, y)
    phases[-1]["bound"] = bound
    if not np.isfinite(bound):
        return Reduction(False, model, phases=phases, note="no finite bound", seconds=lp.seconds)
    kernel = kernel_columns(model, lp.x, reduced)
    restricted = _restricted(model, kernel)
    # The kernel only seeds the fixing: a few times the LP's seconds, never a long MIP of its
    # own (on OR-Library scpnrf1, LP bound 8.8 against an optimum of 14, it took 75 s).
    cap = max(KERNEL_MIN_SECONDS, KERNEL_LP_FACTOR * lp.seconds)
    cap = cap if limit is None else min(cap, KERNEL_SHARE * limit)
    plan = backend.solve(restricted, replace(options, time_limit=cap))
    phases.append(
        {
            "phase": f"{label} (kernel of {int(kernel.sum())} columns)",
            "status": plan.status.value,
            "seconds": plan.seconds,
            "objective": plan.objective,
            "bound": plan.bound,
        }
    )
    spent = lp.seconds + plan.seconds
    candidates = [plan.x] if plan.status.has_plan and plan.x is not None else []
    if start is not None and is_feasible(model, start):
        candidates.append(np.asarray(start, dtype=float))
    if not candidates:
        return Reduction(False, model, phases=phases, note="no kernel plan", seconds=spent)
    best = min(candidates, key=lambda x: float(model.c @ x))
    incumbent = float(model.c @ best)
    tightened, fixed, narrowed = fix_by_reduced_cost(model, reduced, bound, incumbent)
    return Reduction(
        applied=True,
        model=tightened,
        start=best,
        incumbent=incumbent,
        bound=bound,
        fixed=fixed,
        narrowed=narrowed,
        integer_columns=int(model.integer.sum()),
        phases=phases,
        seconds=spent,
        reduced_costs=reduced,
    )


def lagrangian_bound(model: MatrixModel, row_dual: np.ndarray) -> tuple[float, np.ndarray]:
    """L(y) and the reduced costs r = c - Aᵀ y for the sign-valid clip of ``row_dual``."""
    y = np.asarray(row_dual, dtype=float).copy()
    lo_finite = np.isfinite(model.row_lo)
    hi_finite = np.isfinite(model.row_hi)
    y[(y > 0) & ~lo_finite] = 0.0
    y[(y < 0) & ~hi_finite] = 0.0
    lo = np.where(lo_finite, model.row_lo, 0.0)
    hi = np.where(hi_finite, model.row_hi, 0.0)
    b = np.where(y > 0, lo, hi)
    reduced = np.asarray(model.c, dtype=float) - model.A.T @ y
    with np.errstate(invalid="ignore"):  # 0 * inf in the branch np.where does not take
        at_low = np.where(reduced > 0, reduced * model.col_lo, 0.0)
        at_high = np.where(reduced < 0, reduced * model.col_hi, 0.0)
    # -inf where a column with an infinite bound has a reduced cost pointing that way, NaN
    # from a bad dual: either way not finite, and the caller does not reduce
    return float(y @ b + (at_low + at_high).sum() + model.offset), reduced


def kernel_columns(model: MatrixModel, x_lp: np.ndarray, reduced: np.ndarray) -> np.ndarray:
    """Integer columns free in the kernel MIP: the LP's support and the least |r_j| others."""
    integer = np.asarray(model.integer, dtype=bool)
    x_lp = np.asarray(x_lp, dtype=float)
    support = integer & (x_lp > model.col_lo + SUPPORT_TOLERANCE)
    size = max(KERNEL_MIN, KERNEL_SUPPORT_FACTOR * int(support.sum()))
    rest = np.flatnonzero(integer & ~support)
    # stable: ties in reduced cost are broken by column position, so the kernel is fixed
    order = rest[np.argsort(np.abs(reduced[rest]), kind="stable")]
    kernel = support.copy()
    kernel[order[: max(0, size - int(support.sum()))]] = True
    return kernel


def fix_by_reduced_cost(
    model: MatrixModel, reduced: np.ndarray, bound: float, incumbent: float
) -> tuple[MatrixModel, int, int]:
    """Bounds of integer columns narrowed to what a plan with c x <= ``incumbent`` can take."""
    integer = np.asarray(model.integer, dtype=bool)
    slack = max(0.0, incumbent - bound)
    slack += 1e-9 * max(1.0, abs(incumbent))  # float rounding of c x̂ and L: keep the ties
    col_lo, col_hi = model.col_lo.copy(), model.col_hi.copy()
    up = integer & (reduced > 0) & np.isfinite(col_lo)
    down = integer & (reduced < 0) & np.isfinite(col_hi)
    with np.errstate(divide="ignore", over="ignore"):
        reach_up = np.floor(slack / reduced[up] + 1e-9)
        reach_down = np.floor(slack / -reduced[down] + 1e-9)
    col_hi[up] = np.minimum(col_hi[up], col_lo[up] + reach_up)
    col_lo[down] = np.maximum(col_lo[down], col_hi[down] - reach_down)
    changed = integer & ((col_hi != model.col_hi) | (col_lo != model.col_lo))
    fixed = int((changed & (col_hi <= col_lo)).sum())
    tightened = replace(model, col_lo=col_lo, col_hi=np.maximum(col_hi, col_lo))
    return tightened, fixed, int(changed.sum())


def is_feasible(model: MatrixModel, x: np.ndarray, tolerance: float = 1e-6) -> bool:
    """``x`` within every bound and row (absolute ``tolerance``), integral where it must be."""
    x = np.asarray(x, dtype=float)
    if x.shape != (model.shape[1],) or not np.isfinite(x).all():
        return False
    if (x < model.col_lo - tolerance).any() or (x > model.col_hi + tolerance).any():
        return False
    if (np.abs(x[model.integer] - np.round(x[model.integer])) > tolerance).any():
        return False
    activity = model.A @ x
    above = (activity >= model.row_lo - tolerance).all()
    return bool(above and (activity <= model.row_hi + tolerance).all())


def combine(reduction: Reduction, outcome: Outcome) -> Outcome:
    """The full model's outcome from the tightened model's: the better plan of the two, and
    the bound max(L, min(z_inc, tightened bound)) (module docstring, step 4)."""
    assert reduction.start is not None and reduction.incumbent is not None
    assert reduction.bound is not None
    x, objective = reduction.start, reduction.incumbent
    plan, value = outcome.x, outcome.objective
    if outcome.status.has_plan and plan is not None and value is not None and value <= objective:
        x, objective = plan, float(value)  # the tightened model's plan, at least as good
    if outcome.status is Status.OPTIMAL and outcome.bound is not None:
        bound = max(reduction.bound, min(reduction.incumbent, outcome.bound))
        return replace(outcome, x=x, objective=objective, bound=bound)
    if outcome.status in (Status.TIME_LIMIT, Status.FEASIBLE):
        inner = outcome.bound if outcome.bound is not None else -np.inf
        bound = max(reduction.bound, min(reduction.incumbent, inner))
        return replace(outcome, x=x, objective=objective, bound=bound)
    return outcome  # infeasible or error on the tightened model: the caller falls back


def proven_by_bound(reduction: Reduction) -> Outcome:
    """The kernel plan, optimal by the LP bound alone (no MIP was solved)."""
    assert reduction.start is not None
    return Outcome(
        Status.OPTIMAL,
        reduction.start,
        reduction.incumbent,
        reduction.bound,
        0.0,
        "kernel plan proven optimal by the LP bound",
        False,
    )


def _restricted(model: MatrixModel, kernel: np.ndarray) -> MatrixModel:
    """``model`` with every integer column outside ``kernel`` held at its lower bound."""
    outside = np.asarray(model.integer, dtype=bool) & ~kernel
    col_hi = model.col_hi.copy()
    col_hi[outside] = np.where(np.isfinite(model.col_lo[outside]), model.col_lo[outside], 0.0)
    return replace(model, col_hi=col_hi)


def lower_bounds_feasible(model: MatrixModel) -> bool:
    """Every column at its lower bound satisfies every row (e.g. no station, no coverage)."""
    low = np.where(np.isfinite(model.col_lo), model.col_lo, 0.0)
    if not np.array_equal(low, model.col_lo):
        return False
    activity = model.A @ low
    return bool(((activity >= model.row_lo - 1e-9) & (activity <= model.row_hi + 1e-9)).all())


def _solve_lp(model: MatrixModel, seconds: float | None) -> Outcome:
    """The LP relaxation by HiGHS, with row duals: primal simplex when the plan of no station
    is feasible (maximum coverage: simplex starts feasible there; 0.37 s against 0.85 s for
    interior point on a 3,000-node maximal covering file, 0.36 s against 1.19 s on the
    3,000-sector rung), else interior point and crossover to a vertex (set covering, where
    nothing placed is infeasible: 0.7 s against 3.1 s by primal simplex on scpnrf1)."""
    import highspy

    from optimizer.solvers.highs import new_highs, pass_arrays

    relaxed = replace(model, integer=np.zeros(model.shape[1], dtype=bool))
    h = new_highs()
    if lower_bounds_feasible(model):
        h.setOptionValue("solver", "simplex")
        h.setOptionValue("simplex_strategy", 4)  # primal
    else:
        h.setOptionValue("solver", "ipm")
        h.setOptionValue("run_crossover", "on")
    h.setOptionValue("threads", 1)
    if seconds is not None:
        h.setOptionValue("time_limit", float(max(0.01, seconds)))
    pass_arrays(h, relaxed)
    began = time.perf_counter()
    h.run()
    seconds_used = time.perf_counter() - began
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return Outcome(Status.ERROR, None, None, None, seconds_used, str(h.getModelStatus()))
    solution = h.getSolution()
    x = np.asarray(solution.col_value, dtype=float)
    objective = float(model.c @ x + model.offset)
    return Outcome(
        Status.OPTIMAL,
        x,
        objective,
        objective,
        seconds_used,
        "LP relaxation",
        False,
        {"row_dual": np.asarray(solution.row_dual, dtype=float)},
    )
