"""HiGHS through ``highspy``: the default backend. The model is passed as arrays, no modeller."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import replace

import numpy as np

from optimizer.solvers.base import MatrixModel, Outcome, SolverOptions, Status

# HiGHS keeps one task scheduler per process, sized by the first run's ``threads``; a later run
# asking for a different number fails with model status "not set". apply_options resets the
# scheduler whenever the thread count changes.
_scheduler_threads: int | None = None


def highs_options(options: SolverOptions) -> dict[str, object]:
    """The HiGHS options posture sets for ``options`` (the benchmark gives HiGHS alone these)."""
    out: dict[str, object] = {
        "output_flag": bool(options.verbose),
        "random_seed": int(options.seed),
        "threads": int(max(1, options.threads)),
        "mip_rel_gap": float(options.gap),
        "mip_abs_gap": 1e-9,
        # The first LP of a MIP (no basis yet) by interior point: covering LPs are degenerate
        # and dual simplex crawls on them (10,000 x 1,000 maximal covering: 17 s -> 3 s);
        # later LPs start from a basis and stay with simplex. See docs/performance.md.
        "mip_lp_solver": "ipm",
    }
    if options.time_limit is not None:
        out["time_limit"] = float(options.time_limit)
    if options.tolerance is not None:
        for name in ("primal_feasibility_tolerance", "mip_feasibility_tolerance"):
            out[name] = float(options.tolerance)
        out["dual_feasibility_tolerance"] = float(options.tolerance)
    return out


def apply_options(h, options: SolverOptions) -> None:
    """Set :func:`highs_options` on ``h``, resetting the scheduler if the thread count changed."""
    global _scheduler_threads
    values = highs_options(options)
    if _scheduler_threads is not None and _scheduler_threads != values["threads"]:
        import highspy

        highspy.Highs.resetGlobalScheduler(True)
    _scheduler_threads = int(values["threads"])  # type: ignore[call-overload]
    for key, value in values.items():
        h.setOptionValue(key, value)


class HighsBackend:
    name = "highs"
    supports_warm_start = True

    def available(self) -> bool:
        try:
            import highspy  # noqa: F401
        except ImportError:
            return False
        return True

    def version(self) -> str:

        return f"HiGHS {new_highs().version()}"

    def solve(
        self, model: MatrixModel, options: SolverOptions, start: np.ndarray | None = None
    ) -> Outcome:
        import highspy

        h = new_highs()
        apply_options(h, options)
        pass_arrays(h, model)
        warm = False
        if start is not None and options.warm_start and model.integer.any():
            solution = highspy.HighsSolution()
            solution.col_value = list(np.asarray(start, dtype=float))
            solution.value_valid = True
            warm = h.setSolution(solution) == highspy.HighsStatus.kOk
        began = time.perf_counter()
        h.run()
        seconds = time.perf_counter() - began
        outcome = _outcome(h, model, seconds, warm, options.gap)
        if warm and outcome.extra.get("unproven_optimal"):
            # HiGHS 1.16 can misjudge a MIP start's objective after presolve and stop at once
            # with "optimal" and a bound far below the start's true objective (seen on the
            # same-coverage tie-break start; cf. ERGO-Code/HiGHS#2439). Solve again without it.
            left = None if options.time_limit is None else max(0.01, options.time_limit - seconds)
            cold = self.solve(model, replace(options, warm_start=False, time_limit=left))
            return replace(
                cold,
                seconds=seconds + cold.seconds,
                message=f"{cold.message} (solved again without the start: {outcome.message})",
            )
        return outcome


def new_highs():
    """A Highs object whose one-time copyright banner does not reach our stdout (--json)."""
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()
            h.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return h


def pass_arrays(h, model: MatrixModel) -> None:
    """Hand ``model`` to a ``highspy.Highs`` as NumPy arrays, column-wise.

    The same LP as ``h.passModel(to_highs_lp(model))``, without building a ``HighsLp`` field
    by field (pybind11 copies those element by element, and the integrality list was built in
    Python): about 3x faster on large models.
    """
    csc = model.A.tocsc()
    n_row, n_col = model.shape
    integer = np.asarray(model.integer, dtype=bool)
    status = h.passModel(
        int(n_col),
        int(n_row),
        int(csc.nnz),
        1,  # MatrixFormat.kColwise
        1,  # ObjSense.kMinimize
        float(model.offset),
        np.ascontiguousarray(model.c, dtype=np.float64),
        np.ascontiguousarray(model.col_lo, dtype=np.float64),
        np.ascontiguousarray(model.col_hi, dtype=np.float64),
        np.ascontiguousarray(model.row_lo, dtype=np.float64),
        np.ascontiguousarray(model.row_hi, dtype=np.float64),
        csc.indptr.astype(np.int32),
        csc.indices.astype(np.int32),
        np.ascontiguousarray(csc.data, dtype=np.float64),
        integer.astype(np.int32),  # always full length: HiGHS reads it whatever its size
    )
    if status.name not in ("kOk", "kWarning"):
        raise RuntimeError(f"HiGHS refused the model: {status}")


def to_highs_lp(model: MatrixModel):
    import highspy

    csc = model.A.tocsc()
    lp = highspy.HighsLp()
    lp.num_col_ = model.shape[1]
    lp.num_row_ = model.shape[0]
    lp.col_cost_ = np.asarray(model.c, dtype=float)
    lp.col_lower_ = np.asarray(model.col_lo, dtype=float)
    lp.col_upper_ = np.asarray(model.col_hi, dtype=float)
    lp.row_lower_ = np.asarray(model.row_lo, dtype=float)
    lp.row_upper_ = np.asarray(model.row_hi, dtype=float)
    lp.offset_ = float(model.offset)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data.astype(float)
    if model.integer.any():
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
            for flag in model.integer
        ]
    return lp


def _outcome(h, model: MatrixModel, seconds: float, warm: bool, gap: float) -> Outcome:
    import highspy

    ms = h.getModelStatus()
    info = h.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    x = np.asarray(h.getSolution().col_value, dtype=float) if has_solution else None
    objective = float(model.c @ x + model.offset) if x is not None else None
    is_mip = bool(model.integer.any())
    if ms == highspy.HighsModelStatus.kOptimal:
        status = Status.OPTIMAL
        bound = float(info.mip_dual_bound) if is_mip else objective
    elif ms == highspy.HighsModelStatus.kInfeasible:
        return Outcome(Status.INFEASIBLE, None, None, None, seconds, "infeasible", warm)
    elif ms in (
        highspy.HighsModelStatus.kUnbounded,
        highspy.HighsModelStatus.kUnboundedOrInfeasible,
    ):
        return Outcome(Status.UNBOUNDED, None, None, None, seconds, str(ms), warm)
    elif ms == highspy.HighsModelStatus.kTimeLimit:
        status = Status.TIME_LIMIT
        bound = float(info.mip_dual_bound) if is_mip else None
    elif x is not None:
        status = Status.FEASIBLE
        bound = float(info.mip_dual_bound) if is_mip else None
    else:
        return Outcome(Status.ERROR, None, None, None, seconds, f"HiGHS: {ms}", warm)
    if bound is not None and not np.isfinite(bound):
        bound = None
    if status is Status.OPTIMAL and is_mip and _far_apart(objective, bound, gap):
        # "Optimal" with a bound that does not prove the plan we read back: not proven.
        message = f"HiGHS reported optimal, but its bound {bound} does not prove {objective}"
        return Outcome(
            Status.FEASIBLE, x, objective, bound, seconds, message, warm, {"unproven_optimal": True}
        )
    return Outcome(status, x, objective, bound, seconds, str(ms), warm)


def _far_apart(objective: float | None, bound: float | None, gap: float) -> bool:
    """The plan's objective and the proven bound differ by far more than the gap allowed."""
    if objective is None or bound is None:
        return False  # nothing to check against
    allowed = 10.0 * max(gap * max(1.0, abs(objective)), 1e-6)
    return abs(objective - bound) > allowed
