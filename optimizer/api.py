"""The library API the CLI is thin over: load, solve, report and write in one call."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path

from optimizer.instance import Instance, load_instance
from optimizer.model import Solution, solve
from optimizer.model.diagnose import Diagnosis, diagnose
from optimizer.model.evaluate import coverage
from optimizer.model.limits import build_checked
from optimizer.results import Report, make_report, plan_counts, summary_text, write_run
from optimizer.results.dependency import plan_figures
from optimizer.results.diagnosis import diagnosis_table, diagnosis_text
from optimizer.results.writer import to_json
from optimizer.solvers import SolverOptions, Status


@dataclass(frozen=True)
class Run:
    solution: Solution
    report: Report
    run_dir: Path | None
    diagnosis: Diagnosis | None = None  # why there is no plan, when the instance is infeasible

    @property
    def text(self) -> str:
        text = summary_text(self.report, self.run_dir)
        return text if self.diagnosis is None else f"{text}\n{diagnosis_text(self.diagnosis)}"


def solve_instance(
    instance: Instance,
    solver: str = "highs",
    options: SolverOptions | None = None,
    *,
    instance_file: str | Path | None = None,
    overrides: tuple[str, ...] | list[str] = (),
    results_dir: str | Path | None = None,
    extra_record: dict[str, object] | None = None,
    us_dependency: bool = False,
    label: str | None = None,
) -> Run:
    """Solve and report; with ``results_dir``, also write the run folder there.

    ``us_dependency``: also re-solve without the US at each lower level and without each US
    capability (optimizer.analysis.us_dependency; a few more solves of the same size), for the
    re-optimised losses beside the static one. Off by default: a library caller or benchmark
    pays only for the solve it asked for; ``posture solve`` turns it on.

    An infeasible instance is diagnosed (optimizer.model.diagnose): the diagnosis goes into the
    run record, the summary and the run folder (diagnosis.json, diagnosis.csv).
    """
    formulation, build_seconds = build_checked(instance, instance_file)
    solution = solve(instance, solver, options, formulation=formulation)
    solution = replace(solution, build_seconds=build_seconds)
    diagnosis = None
    extra = dict(extra_record or {})
    if label:  # names the run folder and the run in comparisons
        extra["label"] = label
    files: dict[str, str] = {}
    if solution.status in (Status.INFEASIBLE, Status.UNBOUNDED):
        limit = solution.options.time_limit
        diagnosis = diagnose(formulation, time_limit=60.0 if limit is None else max(1.0, limit))
        extra["diagnosis"] = diagnosis.as_dict()
        files["diagnosis.json"] = to_json(diagnosis.as_dict()) + "\n"
        files["diagnosis.csv"] = diagnosis_table(diagnosis).to_csv(
            index=False, float_format="%.10g", lineterminator="\n"
        )
    counterfactual = None
    if us_dependency and solution.x is not None:
        counterfactual = us_counterfactual(solution, solver)
    report = make_report(solution, instance_file, overrides, extra or None, counterfactual)
    run_dir = None
    if results_dir is not None:
        text = summary_text(report)
        if diagnosis is not None:
            text = f"{text}\n{diagnosis_text(diagnosis)}"
        run_dir = write_run(
            # pydantic's own serializer: ~10x faster than model_dump + json.dumps on large
            # instances (4.2 -> 0.4 CPU s at 100,000 sectors); every number is finite.
            report,
            instance.model_dump_json(indent=2),
            results_dir,
            text,
            extra_files=files,
        )
    return Run(solution, report, run_dir, diagnosis)


def us_counterfactual(solution: Solution, solver: str) -> dict[str, object]:
    """A1 counterfactuals for a solved plan, on the same solver path and options."""
    from optimizer.analysis.us_dependency import counterfactuals, solver_on

    data = solution.data
    counts = plan_counts(solution)
    base = plan_figures(data, coverage(data, counts), solution.objective)
    began = time.perf_counter()
    out = counterfactuals(solution.instance, base, solver_on(solver, solution.options))
    return out | {"seconds": time.perf_counter() - began}


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
