"""Whether a plan the solver calls optimal is proven optimal by the figures we report.

The objective reported is evaluated from the integer plan itself (optimizer.model.evaluate),
not read from the solver's variables; the bound is the solver's. A solver that works near its
tolerances (badly scaled coefficients) can return "optimal" with a plan whose true value is
further from the bound than the gap allows, or a "bound" that the plan itself beats. Either
way the plan is not proven optimal: it is reported as ``feasible``, with the reason.
"""

from __future__ import annotations

from optimizer.solvers.base import Status

# Room for the solvers' own feasibility tolerance (1e-6 relative is the common default).
NUMERIC_SLACK = 1e-6


def allowed_gap(objective: float, gap: float) -> float:
    """The largest |objective - bound| that still proves ``objective`` within ``gap``."""
    return max(gap, NUMERIC_SLACK) * max(1.0, abs(objective)) + 1e-9


def certify(
    status: Status,
    objective: float | None,
    bound: float | None,
    maximise: bool,
    gap: float,
) -> tuple[Status, str]:
    """(status to report, reason when downgraded). Only OPTIMAL is ever changed."""
    if status is not Status.OPTIMAL or objective is None:
        return status, ""
    if bound is None:
        return Status.FEASIBLE, "the solver gave no bound to prove the plan optimal"
    room = allowed_gap(objective, gap)
    beyond = objective - bound if maximise else bound - objective  # > 0: the plan beats it
    if beyond > room:
        return Status.FEASIBLE, (
            f"the plan evaluates to {objective:.10g}, beyond the solver's bound {bound:.10g}: "
            "the bound is not valid (numerical trouble), so optimality is not proven"
        )
    if -beyond > room:
        return Status.FEASIBLE, (
            f"the plan evaluates to {objective:.10g}, {abs(beyond):.3g} from the solver's "
            f"bound {bound:.10g}: more than the gap {gap:g} allows, so optimality is not proven"
        )
    return status, ""
