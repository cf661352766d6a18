"""Running benchmark cases: read, solve, write a run folder, verify it, judge the result.

Each case runs in one call of :func:`run_case`, in this process or in a worker process
(``jobs > 1``, a ``ProcessPoolExecutor`` with the ``spawn`` start method); the plan is checked
by the independent checker (:mod:`optimizer.check`) from the run folder, as ``posture verify``
would. A file that cannot be read stops the whole run (:class:`BadBenchmark`, exit code 2).
"""

from __future__ import annotations

import multiprocessing
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace

from optimizer.bench.judge import judge
from optimizer.bench.suites import Case
from optimizer.check import verify_run
from optimizer.instance.formats import load_any
from optimizer.instance.reader import InstanceError
from optimizer.solvers import SolverOptions


class BadBenchmark(Exception):
    """A benchmark file or table that cannot be read: one line naming the file (exit code 2)."""


@dataclass(frozen=True)
class Row:
    """One line of the benchmark table."""

    suite: str
    group: str
    instance: str
    solver: str
    known: float | None
    known_status: str
    found: float | None = None
    status: str = ""
    bound: float | None = None
    gap: float | None = None  # the solver's relative gap |found - bound| / |found|
    known_gap: float | None = None  # relative distance to the known value, positive = worse
    seconds: float = 0.0  # build + solve
    wall: float = 0.0  # read + build + solve + write + verify
    verified: bool | None = None
    verdict: str = ""
    failed: bool = False
    note: str = ""
    bad_input: bool = False


def run_case(case: Case, solver: str, options: SolverOptions, keep: str | None = None) -> Row:
    """Solve one case and judge it; never raises for a solver failure (the row says ERROR)."""
    from optimizer.api import solve_instance  # heavy: imported in the worker

    began = time.perf_counter()
    base = Row(case.suite, case.group, case.name, solver, case.known, case.known_status)
    try:
        instance = load_any(case.path, case.fmt, case.radius, case.stations)
    except InstanceError as exc:
        return replace(base, verdict="ERROR", failed=True, note=str(exc), bad_input=True)
    if options.time_limit is None and case.time_limit is not None:
        options = replace(options, time_limit=case.time_limit)
    sense = "min" if instance.scenario.objective.minimises else "max"
    try:
        with tempfile.TemporaryDirectory(prefix="posture-bench-") as tmp:
            run = solve_instance(
                instance, solver, options, instance_file=case.path, results_dir=keep or tmp
            )
            solution = run.solution
            check = None
            if solution.x is not None and run.run_dir is not None:
                check = verify_run(instance, run.run_dir)
    except InstanceError as exc:
        return replace(base, verdict="ERROR", failed=True, note=str(exc), bad_input=True)
    except Exception as exc:  # a backend crash is a result to report, not a reason to stop
        note = f"{type(exc).__name__}: {exc}".splitlines()[0]
        return replace(base, verdict="ERROR", failed=True, note=note, wall=_since(began))
    status = solution.status.value
    verdict, failed, note = judge(case, sense, solution.objective, status, solution.best_bound)
    if check is not None and not check.ok:
        families = ", ".join(sorted(check.families()))
        verdict, failed, note = "FAIL", True, f"plan fails verification ({families})"
    return replace(
        base,
        found=solution.objective,
        status=status,
        bound=solution.best_bound,
        gap=solution.gap,
        known_gap=_known_gap(case.known, solution.objective, sense),
        seconds=solution.build_seconds + solution.solve_seconds,
        wall=_since(began),
        verified=None if check is None else check.ok,
        verdict=verdict,
        failed=failed,
        note=note,
    )


def run_cases(
    cases: list[Case],
    solvers: list[str],
    options: SolverOptions,
    jobs: int = 1,
    keep: str | None = None,
    progress: Callable[[Row, int, int], None] | None = None,
) -> list[Row]:
    """Every case with every solver; rows in case order, then solver order."""
    tasks = [(case, solver) for case in cases for solver in solvers]
    return run_tasks(tasks, options, jobs, keep, progress)


def run_tasks(
    tasks: list[tuple[Case, str]],
    options: SolverOptions,
    jobs: int = 1,
    keep: str | None = None,
    progress: Callable[[Row, int, int], None] | None = None,
) -> list[Row]:
    """Run (case, solver) tasks, ``jobs`` at a time; rows in the order of ``tasks``."""
    rows: list[Row | None] = [None] * len(tasks)
    done = 0

    def record(index: int, row: Row) -> None:
        nonlocal done
        if row.bad_input:
            raise BadBenchmark(row.note)
        rows[index] = row
        done += 1
        if progress is not None:
            progress(row, done, len(tasks))

    if jobs <= 1 or len(tasks) <= 1:
        for index, (case, solver) in enumerate(tasks):
            record(index, run_case(case, solver, options, keep))
        return [r for r in rows if r is not None]
    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
    try:
        futures: dict[Future[Row], int] = {
            executor.submit(run_case, case, solver, options, keep): i
            for i, (case, solver) in enumerate(tasks)
        }
        for future in as_completed(futures):
            record(futures[future], future.result())
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    return [r for r in rows if r is not None]


def _known_gap(known: float | None, found: float | None, sense: str) -> float | None:
    if known is None or found is None:
        return None
    worse = found - known if sense == "min" else known - found
    return worse / max(abs(known), 1e-10)


def _since(began: float) -> float:
    return time.perf_counter() - began
