"""An independent checker of saved plans (SPEC 6, ``posture verify``).

It reads only the instance (schema, reader, geometry) and a run folder's run.json and plan.csv,
and re-derives every rule from the spec: it never imports the model, the results or the solver
code, so a bug there cannot hide itself here (a test enforces this).
"""

from optimizer.check.report import CheckReport, Violation
from optimizer.check.runfolder import PlanRow, read_plan, read_record, read_run_instance
from optimizer.check.verify import verify_run

__all__ = [
    "CheckReport",
    "PlanRow",
    "Violation",
    "read_plan",
    "read_record",
    "read_run_instance",
    "verify_run",
]
