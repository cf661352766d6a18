"""CBC through PuLP. PuLP needs expression objects, so rows are built from the CSR arrays."""

from __future__ import annotations

import contextlib
import re
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from optimizer.solvers.base import MatrixModel, Outcome, SolverOptions, Status

_BEST_POSSIBLE = re.compile(r"best possible ([-+0-9.eE]+)")
_OBJ_BOUND = re.compile(r"Lower bound:\s+([-+0-9.eE]+)")


class CbcBackend:
    name = "cbc"
    supports_warm_start = True

    def available(self) -> bool:
        try:
            import pulp
        except ImportError:
            return False
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return bool(pulp.PULP_CBC_CMD(msg=False).available())

    def version(self) -> str:
        import pulp

        return f"CBC (PuLP {pulp.__version__})"

    def solve(
        self, model: MatrixModel, options: SolverOptions, start: np.ndarray | None = None
    ) -> Outcome:

        with warnings.catch_warnings():
            # PuLP 3.x announces its 4.0 API at every variable; the 3.x API is pinned.
            warnings.simplefilter("ignore", DeprecationWarning)
            return self._solve(model, options, start)

    def _solve(
        self, model: MatrixModel, options: SolverOptions, start: np.ndarray | None
    ) -> Outcome:
        import pulp

        prob, xs = _to_pulp(model)
        warm = start is not None and options.warm_start and bool(model.integer.any())
        if warm:
            for var, value in zip(xs, np.asarray(start, dtype=float), strict=True):
                var.setInitialValue(float(round(value)) if var.cat == "Integer" else float(value))
        with tempfile.TemporaryDirectory(prefix="posture-cbc-") as tmp, _cleaned_on_exit(tmp):
            log = Path(tmp) / "cbc.log"
            solver = pulp.PULP_CBC_CMD(
                msg=bool(options.verbose),
                timeLimit=options.time_limit,
                gapRel=options.gap,
                gapAbs=1e-9,
                threads=max(1, options.threads),
                warmStart=warm,
                logPath=str(log),
                options=[
                    f"randomSeed {int(options.seed) + 1}",
                    f"randomCbcSeed {int(options.seed) + 1}",
                    *(
                        []
                        if options.tolerance is None
                        else [
                            f"primalTolerance {options.tolerance:g}",
                            f"integerTolerance {options.tolerance:g}",
                        ]
                    ),
                ],
                keepFiles=False,
            )
            # PuLP's model, start and solution files (.mps, .mst, .sol) go into this folder,
            # not the system's temporary folder: an interrupt removes them with it.
            solver.tmpDir = tmp
            began = time.perf_counter()
            prob.solve(solver)
            seconds = time.perf_counter() - began
            text = log.read_text(errors="replace") if log.exists() else ""
        return _outcome(prob, xs, model, seconds, text, options, warm)


def _to_pulp(model: MatrixModel):
    import pulp

    n = model.shape[1]
    prob = pulp.LpProblem("posture", pulp.LpMinimize)
    xs = [
        pulp.LpVariable(
            f"x{j}",
            lowBound=None if not np.isfinite(model.col_lo[j]) else float(model.col_lo[j]),
            upBound=None if not np.isfinite(model.col_hi[j]) else float(model.col_hi[j]),
            cat="Integer" if model.integer[j] else "Continuous",
        )
        for j in range(n)
    ]
    nz = np.flatnonzero(model.c)
    prob += pulp.LpAffineExpression([(xs[j], float(model.c[j])) for j in nz]) + float(model.offset)
    A = model.A.tocsr()
    for i in range(A.shape[0]):
        lo, hi = model.row_lo[i], model.row_hi[i]
        cols = A.indices[A.indptr[i] : A.indptr[i + 1]]
        vals = A.data[A.indptr[i] : A.indptr[i + 1]]
        expr = pulp.LpAffineExpression([(xs[j], float(v)) for j, v in zip(cols, vals, strict=True)])
        if np.isfinite(lo) and np.isfinite(hi) and lo == hi:
            prob += pulp.LpConstraint(expr, pulp.LpConstraintEQ, f"r{i}", float(lo))
            continue
        if np.isfinite(lo):
            prob += pulp.LpConstraint(expr, pulp.LpConstraintGE, f"r{i}l", float(lo))
        if np.isfinite(hi):
            prob += pulp.LpConstraint(expr, pulp.LpConstraintLE, f"r{i}u", float(hi))
    return prob, xs


def _outcome(prob, xs, model, seconds, log, options, warm) -> Outcome:
    import pulp

    sol = prob.sol_status
    if sol == pulp.LpSolutionInfeasible or prob.status == pulp.LpStatusInfeasible:
        return Outcome(Status.INFEASIBLE, None, None, None, seconds, "infeasible", warm)
    if sol == pulp.LpSolutionUnbounded or prob.status == pulp.LpStatusUnbounded:
        return Outcome(Status.UNBOUNDED, None, None, None, seconds, "unbounded", warm)
    values = [v.varValue for v in xs]
    has_plan = sol in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible) and all(
        v is not None for v in values
    )
    x = np.asarray(values, dtype=float) if has_plan else None
    objective = float(model.c @ x + model.offset) if x is not None else None
    timed_out = options.time_limit is not None and (
        "Stopped on time" in log or seconds >= options.time_limit * 0.98
    )
    if sol == pulp.LpSolutionOptimal and "Stopped on time" not in log:
        return Outcome(Status.OPTIMAL, x, objective, objective, seconds, "optimal", warm)
    bound = _parse_bound(log)
    status = (
        Status.TIME_LIMIT if timed_out else (Status.FEASIBLE if x is not None else Status.ERROR)
    )
    return Outcome(status, x, objective, bound, seconds, pulp.LpStatus[prob.status], warm)


def _parse_bound(log: str) -> float | None:
    found = _BEST_POSSIBLE.findall(log) or _OBJ_BOUND.findall(log)
    try:
        return float(found[-1]) if found else None
    except ValueError:
        return None


@contextlib.contextmanager
def _cleaned_on_exit(folder: str) -> Iterator[None]:
    """Register ``folder`` with the run-folder writer's set of temporary folders, which an
    emergency exit (Ctrl-C while CBC solves, optimizer.cli.interrupt) removes too."""
    from optimizer.results.writer import ACTIVE_TEMP_FOLDERS

    path = Path(folder)
    ACTIVE_TEMP_FOLDERS.add(path)
    try:
        yield
    finally:
        ACTIVE_TEMP_FOLDERS.discard(path)
