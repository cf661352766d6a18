"""Solving a formulation: the lexicographic phases, one backend, one honest result.

The status, objective, bound and gap reported are those of the first (primary) phase: that is
the objective the user asked for. Later phases only choose among the primary optima (cheaper,
then a fixed order) and never worsen it: each adds a row keeping the primary value within the
solver's proven tolerance, and starts from the previous plan.

The phases after the objective asked for (the tie-break: ``Phase.tie_break``) share a budget:
at most ``options.tie_break_share`` times the seconds of the phases before them, and at least
``TIE_BREAK_FLOOR_SECONDS``, so that by default a large solve stays within 1.25x its
primary phase (models under ``TIE_BREAK_BUDGET_MIN_NONZEROS`` have no budget: their
tie-break takes seconds, and a budget would make their plan depend on the machine's load);
a phase stopped by the budget is reported as such (status, and the summary's ``tie-break``
line), and its best plan is kept, since it is still optimal for the primary.
The last phase (``order``, :mod:`optimizer.model.formulation`) has a whole-number objective
and is solved with no relative gap: once proven, every backend returns the same plan.

The cost tie-break after a coverage phase is a genuine second MIP (the cheapest plan among
all coverage optima) and can cost several times the primary solve. It starts from the
cheapest plan that keeps the coverage of every sector at least where the coverage plan left
it: that restricted MIP is small (the coverage rows are fixed, the tie-break's hard part is
trading coverage between sectors), its plan is feasible for the tie-break, and starting there
roughly halves the tie-break and its spread over random seeds on the generated 3,000-sector
instance (docs/performance.md). The restricted solve is recorded as a phase of its own.

``observe(name, model, start)`` (optional) is told every model handed to the backend with
the start it was given, e.g. to write them as MPS files (optimizer.solvers.mps).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from optimizer.instance.schema import Instance
from optimizer.model.certify import allowed_gap, certify
from optimizer.model.data import ModelData, compile_instance
from optimizer.model.evaluate import coverage, objective_value
from optimizer.model.formulation import Formulation, Phase
from optimizer.model.greedy import coverage_bound, greedy_plan
from optimizer.model.limits import build_checked
from optimizer.model.reduce import combine, proven_by_bound, reduce_root, worth_reducing
from optimizer.model.scaling import column_scaling, scaled
from optimizer.solvers import SolverOptions, Status, get_backend, relative_gap
from optimizer.solvers.base import Backend, MatrixModel, Outcome

TIE_BREAK_FLOOR_SECONDS = 2.0  # the tie-break's budget is never below this
# Models smaller than this have no tie-break budget at all (only the time limit): the F1
# baseline (2,232 nonzeros) needs ~1.7-3 s for its order phase on an idle core, so any
# budget in seconds would make its plan depend on the machine's load. The 3,000-sector rung
# has 116,658 nonzeros.
TIE_BREAK_BUDGET_MIN_NONZEROS = 20_000
# From this many nonzeros on, the primary phase starts from the greedy plan (about 2 million:
# the 30,000-sector rung; HiGHS may spend its whole time limit in presolve beyond it).
GREEDY_MIN_NONZEROS = 2_000_000
# HiGHS' presolve of the largest primary MIPs: ~76 s for the 100,000-sector rung (8.4 million
# nonzeros) on an idle core, about 9 s per million nonzeros, with no plan or bound before it
# ends. With a greedy plan and less time left than that, the solver is not started.
PRESOLVE_SECONDS_PER_MILLION_NONZEROS = 9.0
SKIPPED_SOLVER = (
    "solver not started: its presolve alone (about 9 s per million nonzeros) outlasts the "
    "time left; the greedy plan and the bound without a solve are reported"
)
# The root reduction's tightened model is solved only if the fixing removed at least this
# share of the integer columns (maximal covering: 73-93 %; the generated posture rungs: 0).
REDUCE_MIN_FIXED_SHARE = 0.2
SAME_COVERAGE_SECONDS = 10.0  # time cap of the same-coverage start (it only seeds the tie-break)

TIGHT_TOLERANCE = 1e-9  # feasibility and integrality, when the default ones did not prove a plan
Observer = Callable[[str, MatrixModel, "np.ndarray | None"], None]


@dataclass(frozen=True)
class Solution:
    """The answer to one solve: status, primary objective (in its own sense), plan counts."""

    status: Status
    objective: float | None
    best_bound: float | None
    gap: float | None
    x: np.ndarray | None  # stations per admissible triple (rounded), None without a plan
    formulation: Formulation
    solver: str
    solver_version: str
    options: SolverOptions
    build_seconds: float
    solve_seconds: float
    phases: list[dict[str, object]] = field(default_factory=list)
    message: str = ""
    warm_started: bool = False
    # solver "portfolio": each backend raced, how it ended, its seconds, which one won
    race: tuple[dict[str, object], ...] = ()

    @property
    def data(self) -> ModelData:
        return self.formulation.data

    @property
    def instance(self) -> Instance:
        return self.formulation.data.instance


def build_model(instance: Instance) -> tuple[Formulation, float]:
    """The formulation of ``instance`` and the seconds it took to build, within the size
    limits (:func:`optimizer.model.limits.build_checked`: every model is built this way)."""
    return build_checked(instance)


def solve(
    instance: Instance,
    solver: str = "highs",
    options: SolverOptions | None = None,
    formulation: Formulation | None = None,
    start: np.ndarray | None = None,
    observe: Observer | None = None,
) -> Solution:
    """Build (unless given) and solve ``instance`` with the named backend, or race several
    (``solver="portfolio"``, optimizer.model.portfolio)."""
    options = options or SolverOptions()
    racing = solver.lower() == "portfolio"
    backend = None if racing else get_backend(solver)  # unknown or missing: before the build
    build_seconds = 0.0
    if formulation is None:
        formulation, build_seconds = build_model(instance)
    if racing:
        from optimizer.model.portfolio import solve_portfolio

        if observe is not None:
            raise ValueError(
                "a portfolio solve cannot be observed: its models are in other processes"
            )
        raced = solve_portfolio(instance, formulation, options, start)
        return replace(raced, build_seconds=build_seconds)
    return _solve_one(
        backend or get_backend(solver), formulation, options, start, observe, build_seconds
    )


def _solve_one(
    backend: Backend,
    formulation: Formulation,
    options: SolverOptions,
    start: np.ndarray | None,
    observe: Observer | None,
    build_seconds: float,
) -> Solution:
    """Every lexicographic phase of ``formulation`` with one backend."""
    model = formulation.matrix
    phases: list[dict[str, object]] = []
    primary = None
    x_best: np.ndarray | None = None
    warm_any = False
    deadline = None if options.time_limit is None else time.perf_counter() + options.time_limit
    overall_deadline = deadline  # the tie-break may get an earlier one of its own
    solve_seconds = 0.0
    budgeted = False  # the tie-break's budget set (at its first phase)
    current_start = _padded(start, model.shape[1]) if start is not None else None
    constructed = None  # the greedy plan on large models (optimizer.model.greedy)
    if current_start is None and model.A.nnz >= GREEDY_MIN_NONZEROS:
        # At most a quarter of the time limit: the solver needs the rest.
        share = None if options.time_limit is None else 0.25 * options.time_limit
        constructed = current_start = greedy_plan(formulation, share)

    def run(
        name: str,
        phase: Phase,
        m: MatrixModel,
        start: np.ndarray | None,
        cap: float | None = None,
        observed: bool = True,
    ) -> Outcome:
        nonlocal solve_seconds, warm_any
        remaining = None if deadline is None else max(0.0, deadline - time.perf_counter())
        if cap is not None:
            remaining = cap if remaining is None else min(cap, remaining)
        opts = options if remaining is None else _with_time(options, remaining)
        if phase.exact:
            opts = replace(opts, gap=0.0)
        m = m.with_objective(phase.c)
        if observe is not None and observed:
            observe(name, m, start)
        scaling = column_scaling(m)  # identity on ordinary instances
        outcome = backend.solve(scaled(m, scaling), opts, scaling.to_solver(start))
        if scaling.active:
            outcome = replace(outcome, x=scaling.from_solver(outcome.x))
        solve_seconds += outcome.seconds
        warm_any = warm_any or outcome.warm_started
        phases.append(
            {
                "phase": name,
                "status": outcome.status.value,
                "seconds": outcome.seconds,
                "objective": _sense(outcome.objective, phase.maximise),
                "bound": _sense(outcome.bound, phase.maximise),
            }
        )
        return outcome

    def run_reduced(phase: Phase, start: np.ndarray | None) -> Outcome | None:
        """The primary phase through the root reduction (optimizer.model.reduce); None when
        the reduction does not apply, and the full model is solved as before."""
        nonlocal solve_seconds
        m = model.with_objective(phase.c)
        if column_scaling(m).active:
            return None  # the rare badly scaled model: solved as it is
        remaining = None if deadline is None else max(0.01, deadline - time.perf_counter())
        opts = options if remaining is None else _with_time(options, remaining)
        reduction = reduce_root(m, backend, opts, start, phase.name)
        for entry in reduction.phases:  # in the phase's own sense, as every phase is shown
            for key in ("objective", "bound"):
                entry[key] = _sense(entry[key], phase.maximise)  # type: ignore[arg-type]
        phases.extend(reduction.phases)
        solve_seconds += reduction.seconds
        if not reduction.applied:
            if phases:
                phases[-1]["note"] = f"root reduction not applied: {reduction.note}"
            return None
        note = (
            f"reduced-cost fixing from the LP bound {_sense(reduction.bound, phase.maximise):.10g}"
            f" and the kernel plan {_sense(reduction.incumbent, phase.maximise):.10g}: "
            f"{reduction.fixed} of {reduction.integer_columns} integer columns fixed"
        )
        proven = reduction.closes(options.gap)
        if not proven and reduction.fixed < REDUCE_MIN_FIXED_SHARE * reduction.integer_columns:
            # Too little removed to repay a different start: the solver gets the model as
            # built, as without the reduction (on the 3,000-sector rung, nothing fixed, the
            # kernel start made HiGHS take 12.5 s instead of 8.9 s on an idle machine).
            phases[-1]["note"] = f"{note}: too few, the model is solved as built"
            return None
        if observe is not None:
            observe(phase.name, m, start)  # the full MIP: what HiGHS alone would be given
        if proven:
            phases.append(
                {
                    "phase": phase.name,
                    "status": Status.OPTIMAL.value,
                    "seconds": 0.0,
                    "objective": _sense(reduction.incumbent, phase.maximise),
                    "bound": _sense(reduction.bound, phase.maximise),
                    "note": f"{note}; the kernel plan meets the LP bound, no MIP solved",
                }
            )
            return proven_by_bound(reduction)
        outcome = run(phase.name, phase, reduction.model, reduction.start, observed=False)
        combined = combine(reduction, outcome)
        if not combined.status.has_plan:
            phases[-1]["note"] = f"{note}; {outcome.status.value} after fixing: full model solved"
            return None  # numerically odd (the kernel plan is inside): solve the full model
        phases[-1].update(
            objective=_sense(combined.objective, phase.maximise),
            bound=_sense(combined.bound, phase.maximise),
            note=note,
        )
        return combined

    primary_value = 0.0

    def keeps(x: np.ndarray) -> bool:
        """A later phase's plan, evaluated itself, keeps the primary plan's value (a solver
        near its tolerances can trade real coverage for slack in its own variables)."""
        value = _evaluated(formulation, x)
        loss = primary_value - value if formulation.phases[0].maximise else value - primary_value
        if loss > allowed_gap(primary_value, options.gap):
            phases[-1]["note"] = f"plan not kept: its primary value is {value:.10g}"
            return False
        return True

    for index, phase in enumerate(formulation.phases):
        if phase.tie_break and not budgeted:
            budgeted = True
            if model.A.nnz >= TIE_BREAK_BUDGET_MIN_NONZEROS:
                deadline = _tie_break_deadline(deadline, solve_seconds, options)
        if index > 0 and _out_of_time(deadline):
            break
        if index > 0 and phase.same_coverage_start and _restrictable(backend, options):
            assert x_best is not None
            # No start here: HiGHS 1.16 misjudges this start's objective after presolve (it
            # stops at once with a bound that does not prove it), and the restricted MIP is
            # small enough to solve from scratch.
            restricted = _same_coverage(model, formulation, x_best)
            # Only a start: capped, so a backend that finds this restricted MIP hard (CBC on
            # some instances with distance-dependent costs, F1) goes on to the full phase.
            kept = run(
                f"{phase.name} (same coverage)", phase, restricted, None, SAME_COVERAGE_SECONDS
            )
            if kept.status.has_plan and kept.x is not None and keeps(kept.x):
                # Keeps every earlier phase's value: the plan to keep and to start from.
                x_best = current_start = kept.x
            if _out_of_time(deadline):
                break
        # The order phase gets no start: HiGHS 1.16 misjudged it too (returned the start as
        # "optimal" with a lower objective than the start has), and the plan before it is
        # kept anyway if the phase stops without a better one.
        outcome = None
        reducible = options.reduce and constructed is None and not phase.exact
        if index == 0 and reducible and worth_reducing(model, GREEDY_MIN_NONZEROS):
            outcome = run_reduced(phase, current_start)
        if outcome is None and index == 0 and _presolve_outlasts(model, deadline, constructed):
            # The solver would still be in presolve at the limit (and overrun it: HiGHS checks
            # the clock rarely there): the greedy plan and the bound without a solve stand.
            outcome = Outcome(Status.TIME_LIMIT, None, None, None, 0.0, SKIPPED_SOLVER)
            phases.append(
                {"phase": phase.name, "status": "time_limit", "seconds": 0.0, "objective": None,
                 "bound": None, "note": SKIPPED_SOLVER}
            )  # fmt: skip
        if outcome is None:
            outcome = run(phase.name, phase, model, None if phase.exact else current_start)
        if index == 0:
            if outcome.status is Status.TIME_LIMIT and (outcome.x is None or outcome.bound is None):
                outcome = _with_constructed(outcome, phase, constructed, formulation)
            primary = outcome
            if not outcome.status.has_plan or outcome.x is None:
                break
            x_best = outcome.x
            primary_value = _evaluated(formulation, x_best)
            if outcome.message.startswith(SKIPPED_SOLVER):
                break  # no tie-break either: its solves would be stuck in the same presolve
        elif outcome.status.has_plan and outcome.x is not None:
            assert x_best is not None
            better = outcome.status is Status.OPTIMAL or phase.c @ outcome.x <= phase.c @ x_best
            if better and keeps(outcome.x):
                x_best = outcome.x
        else:
            break  # keep the best plan so far: it is still optimal for the primary
        # Keep this phase's value (of the plan with whole station counts) for the phases after.
        x_best = _rounded(x_best, formulation)
        value = float(phase.c @ x_best)
        tolerance = max(1e-7, 1e-9 * abs(value))
        model = model.with_row(phase.c, -np.inf, value + tolerance, f"keep_{phase.name}")
        current_start = x_best
    assert primary is not None
    x = None
    if x_best is not None:
        x = _rounded(x_best, formulation)
    first = formulation.phases[0]
    objective = None
    if x is not None:
        counts = x[formulation.x_slice]
        objective = objective_value(formulation.data, counts, coverage(formulation.data, counts))
    bound = _sense(primary.bound, first.maximise)
    gap = relative_gap(objective, bound) if primary.status.has_plan else None
    # Optimal only if the plan itself, evaluated above, agrees with the bound (certify.py).
    status, doubt = certify(primary.status, objective, bound, first.maximise, options.gap)
    solution = Solution(
        status=status,
        objective=objective,
        best_bound=bound,
        gap=gap,
        x=x,
        formulation=formulation,
        solver=backend.name,
        solver_version=backend.version(),
        options=options,
        build_seconds=build_seconds,
        solve_seconds=solve_seconds,
        phases=phases,
        message="; ".join(m for m in (primary.message, doubt) if m),
        warm_started=warm_any,
    )
    if doubt and options.tolerance is None and not _out_of_time(overall_deadline):
        # Not proven: solve once more with tolerances a thousand times tighter, keep that
        # answer only if it is proven (the plan agrees with the bound).
        remaining = None if overall_deadline is None else overall_deadline - time.perf_counter()
        tight = replace(options, tolerance=TIGHT_TOLERANCE)
        if remaining is not None:
            tight = _with_time(tight, remaining)
        again = _solve_one(backend, formulation, tight, start, observe, build_seconds)
        if again.status is Status.OPTIMAL:
            return replace(
                again,
                build_seconds=build_seconds,
                solve_seconds=solve_seconds + again.solve_seconds,
                phases=[*phases, *again.phases],
                message=f"{again.message} (solved again with tolerance {TIGHT_TOLERANCE:g}: "
                f"{doubt})",
            )
    return solution


def _evaluated(formulation: Formulation, x: np.ndarray) -> float:
    """The primary objective of a plan, from its rounded station counts (evaluate.py)."""
    counts = np.round(np.asarray(x, dtype=float)[formulation.x_slice])
    return objective_value(formulation.data, counts, coverage(formulation.data, counts))


def _presolve_outlasts(
    model: MatrixModel, deadline: float | None, constructed: np.ndarray | None
) -> bool:
    """A greedy plan is at hand and the time left is shorter than the solver's presolve."""
    if constructed is None or deadline is None:
        return False
    needed = PRESOLVE_SECONDS_PER_MILLION_NONZEROS * model.A.nnz / 1e6
    return deadline - time.perf_counter() < needed


def _with_constructed(
    outcome: Outcome, phase: Phase, plan: np.ndarray | None, formulation: Formulation
) -> Outcome:
    """The solver stopped at its time limit without a plan or without a bound (e.g. still in
    presolve): the greedy plan it was started from stands in for a missing plan, and the
    bound that needs no solve (optimizer.model.greedy.coverage_bound) for a missing bound."""
    notes = [outcome.message]
    if outcome.x is None and plan is not None:
        outcome = replace(outcome, x=plan, objective=float(phase.c @ plan))
        notes.append("the greedy start plan (the solver had none within the time limit)")
    if outcome.bound is None and outcome.x is not None:
        ceiling = coverage_bound(formulation)
        if ceiling is not None:
            outcome = replace(outcome, bound=-ceiling if phase.maximise else ceiling)
            notes.append("bound: resources relaxed, no solve (the solver had none)")
    return replace(outcome, message="; ".join(notes))


def _tie_break_deadline(
    deadline: float | None, primary_seconds: float, options: SolverOptions
) -> float | None:
    """The earlier of the time limit and the end of the tie-break's budget (from now)."""
    if not np.isfinite(options.tie_break_share):
        return deadline
    budget = max(TIE_BREAK_FLOOR_SECONDS, options.tie_break_share * primary_seconds)
    ends = time.perf_counter() + budget
    return ends if deadline is None else min(deadline, ends)


def _rounded(x: np.ndarray, formulation: Formulation) -> np.ndarray:
    out = np.asarray(x, dtype=float).copy()
    out[formulation.x_slice] = np.round(out[formulation.x_slice]) + 0.0  # no -0.0
    return out


def _out_of_time(deadline: float | None) -> bool:
    return deadline is not None and deadline - time.perf_counter() < 0.05


def _restrictable(backend: Backend, options: SolverOptions) -> bool:
    """The same-coverage start is worth a solve only if the backend takes warm starts."""
    return bool(backend.supports_warm_start and options.warm_start)


def _same_coverage(model: MatrixModel, formulation: Formulation, x: np.ndarray) -> MatrixModel:
    """``model`` with every sector's coverage z_k at least its value in the plan ``x``."""
    col_lo = model.col_lo.copy()
    z = formulation.z_slice
    col_lo[z] = np.clip(np.asarray(x, dtype=float)[z], model.col_lo[z], model.col_hi[z])
    return replace(model, col_lo=col_lo)


def _sense(value: float | None, maximise: bool) -> float | None:
    if value is None:
        return None
    return -value if maximise else value


def _with_time(options: SolverOptions, seconds: float) -> SolverOptions:
    return replace(options, time_limit=max(0.01, seconds))


def _padded(start: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n)
    out[: min(n, len(start))] = np.asarray(start, dtype=float)[:n]
    return out


__all__ = [
    "TIE_BREAK_BUDGET_MIN_NONZEROS",
    "TIE_BREAK_FLOOR_SECONDS",
    "Solution",
    "build_model",
    "compile_instance",
    "solve",
]
