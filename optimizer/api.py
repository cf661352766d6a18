"""The library API the CLI is thin over: load, solve, report and write in one call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from optimizer.instance import Instance, load_instance
from optimizer.model import Solution, solve
from optimizer.results import Report, make_report, summary_text, write_run
from optimizer.solvers import SolverOptions


@dataclass(frozen=True)
class Run:
    solution: Solution
    report: Report
    run_dir: Path | None

    @property
    def text(self) -> str:
        return summary_text(self.report, self.run_dir)


def solve_instance(
    instance: Instance,
    solver: str = "highs",
    options: SolverOptions | None = None,
    *,
    instance_file: str | Path | None = None,
    overrides: tuple[str, ...] | list[str] = (),
    results_dir: str | Path | None = None,
    extra_record: dict[str, object] | None = None,
) -> Run:
    """Solve and report; with ``results_dir``, also write the run folder there."""
    solution = solve(instance, solver, options)
    report = make_report(solution, instance_file, overrides, extra_record)
    run_dir = None
    if results_dir is not None:
        run_dir = write_run(
            report,
            instance.model_dump(mode="json"),
            results_dir,
            summary_text(report),
        )
    return Run(solution, report, run_dir)


def solve_file(
    path: str | Path,
    overrides: tuple[str, ...] | list[str] = (),
    solver: str = "highs",
    options: SolverOptions | None = None,
    results_dir: str | Path | None = None,
) -> Run:
    instance = load_instance(path, overrides)
    return solve_instance(
        instance, solver, options, instance_file=path, overrides=overrides, results_dir=results_dir
    )
