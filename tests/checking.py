"""Test helpers: every solve in the suite can be checked by the independent verifier.

- :func:`assert_verified` checks a run folder against an instance;
- :func:`solve_verified` solves, writes the run folder under ``tmp_path`` and checks it;
- :func:`assert_solution_verified` writes an already computed ``Solution`` and checks it.
"""

from __future__ import annotations

from pathlib import Path

from optimizer.api import Run, solve_instance
from optimizer.check import CheckReport, verify_run
from optimizer.instance import Instance
from optimizer.model import Solution
from optimizer.results import make_report, write_run
from optimizer.solvers import SolverOptions


def assert_verified(instance: Instance | None, run_dir: str | Path) -> CheckReport:
    """The plan in ``run_dir`` is feasible for ``instance`` and its objective is run.json's."""
    report = verify_run(instance, run_dir)
    assert report.ok, report.text()
    assert not report.warnings, report.text()
    return report


def solve_verified(
    instance: Instance,
    tmp_path: Path,
    solver: str = "highs",
    options: SolverOptions | None = None,
) -> Run:
    """Solve through the library API into a run folder under ``tmp_path`` and verify it."""
    run = solve_instance(instance, solver, options, results_dir=tmp_path)
    assert run.run_dir is not None
    if run.solution.x is not None:
        assert_verified(instance, run.run_dir)
    return run


def assert_solution_verified(solution: Solution, tmp_path: Path) -> CheckReport:
    """Write ``solution`` as a run folder under ``tmp_path`` and verify it."""
    report = make_report(solution)
    run_dir = write_run(report, solution.instance.model_dump(mode="json"), tmp_path)
    return assert_verified(solution.instance, run_dir)
