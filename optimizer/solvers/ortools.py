"""OR-Tools' MIP interface (``pywraplp``) with its bundled SCIP, fed an ``MPModelProto``.

CP-SAT is not used here: the coverage model has fractional coefficients (effectiveness,
requirements, sustainment ratios), which CP-SAT would need scaled to integers.
"""

from __future__ import annotations

import time

import numpy as np

from optimizer.solvers.base import MatrixModel, Outcome, SolverOptions, Status


class OrtoolsBackend:
    name = "ortools"
    supports_warm_start = True
    engine = "SCIP"

    def available(self) -> bool:
        try:
            from ortools.linear_solver import pywraplp
        except ImportError:
            return False
        return pywraplp.Solver.CreateSolver(self.engine) is not None

    def version(self) -> str:
        import ortools

        return f"OR-Tools {ortools.__version__} ({self.engine})"

    def solve(
        self, model: MatrixModel, options: SolverOptions, start: np.ndarray | None = None
    ) -> Outcome:
        from ortools.linear_solver import pywraplp

        solver = pywraplp.Solver.CreateSolver(self.engine)
        error = solver.LoadModelFromProto(to_proto(model))
        if error:
            return Outcome(Status.ERROR, None, None, None, 0.0, f"OR-Tools: {error}")
        if options.time_limit is not None:
            solver.SetTimeLimit(int(options.time_limit * 1000))
        solver.SetNumThreads(int(max(1, options.threads)))
        seed = int(options.seed) % 2**31
        # SCIP would catch Ctrl-C itself and return its incumbent as if nothing happened: let
        # the signal reach posture, which stops and exits 130 (optimizer.cli.interrupt).
        tolerance = (
            "" if options.tolerance is None else f"numerics/feastol = {options.tolerance:g}\n"
        )
        solver.SetSolverSpecificParametersAsString(
            f"randomization/randomseedshift = {seed}\nmisc/catchctrlc = FALSE\n{tolerance}"
        )
        if not options.verbose:
            solver.SuppressOutput()
        variables = solver.variables()
        warm = start is not None and options.warm_start and bool(model.integer.any())
        if warm:
            solver.SetHint(variables, [float(v) for v in np.asarray(start, dtype=float)])
        params = pywraplp.MPSolverParameters()
        params.SetDoubleParam(params.RELATIVE_MIP_GAP, float(options.gap))
        if options.tolerance is not None:
            params.SetDoubleParam(params.PRIMAL_TOLERANCE, float(options.tolerance))
        began = time.perf_counter()
        result = solver.Solve(params)
        seconds = time.perf_counter() - began
        has_plan = result in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE)
        x = np.array([v.solution_value() for v in variables]) if has_plan else None
        objective = float(model.c @ x + model.offset) if x is not None else None
        bound = None
        if has_plan:
            bound = solver.Objective().BestBound() if model.integer.any() else objective
            bound = float(bound) if bound is not None and np.isfinite(bound) else None
        if result == pywraplp.Solver.OPTIMAL:
            return Outcome(Status.OPTIMAL, x, objective, bound, seconds, "optimal", warm)
        if result == pywraplp.Solver.INFEASIBLE:
            return Outcome(Status.INFEASIBLE, None, None, None, seconds, "infeasible", warm)
        if result == pywraplp.Solver.UNBOUNDED:
            return Outcome(Status.UNBOUNDED, None, None, None, seconds, "unbounded", warm)
        timed_out = options.time_limit is not None and seconds >= options.time_limit * 0.95
        if timed_out or (result == pywraplp.Solver.NOT_SOLVED and options.time_limit):
            return Outcome(Status.TIME_LIMIT, x, objective, bound, seconds, "time limit", warm)
        if x is not None:
            return Outcome(Status.FEASIBLE, x, objective, bound, seconds, "feasible", warm)
        return Outcome(Status.ERROR, None, None, None, seconds, f"OR-Tools status {result}", warm)


def to_proto(model: MatrixModel):
    from ortools.linear_solver import linear_solver_pb2

    proto = linear_solver_pb2.MPModelProto()
    proto.maximize = False
    proto.objective_offset = float(model.offset)
    n = model.shape[1]
    lo = np.where(np.isfinite(model.col_lo), model.col_lo, -1e30)
    hi = np.where(np.isfinite(model.col_hi), model.col_hi, 1e30)
    for j in range(n):
        var = proto.variable.add()
        var.lower_bound = float(lo[j])
        var.upper_bound = float(hi[j])
        var.objective_coefficient = float(model.c[j])
        var.is_integer = bool(model.integer[j])
    A = model.A.tocsr()
    rlo = np.where(np.isfinite(model.row_lo), model.row_lo, -1e30)
    rhi = np.where(np.isfinite(model.row_hi), model.row_hi, 1e30)
    for i in range(A.shape[0]):
        row = proto.constraint.add()
        row.lower_bound = float(rlo[i])
        row.upper_bound = float(rhi[i])
        sl = slice(A.indptr[i], A.indptr[i + 1])
        row.var_index.extend(A.indices[sl].tolist())
        row.coefficient.extend(A.data[sl].tolist())
    return proto
