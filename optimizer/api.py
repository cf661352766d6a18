"""The library API: load an instance, change it, solve it, analyse it (``import optimizer as po``).

Every solve in the package goes through :func:`solve_instance`: the size-checked build
(:func:`optimizer.model.limits.build_checked`), the lexicographic solve, the diagnosis of an
infeasible instance, the report, and (when asked) the run folder. ``posture solve``, the cases
of sweeps and sensitivity tables and the benchmarks all call it. Every function here takes an
instance held in memory; the ``--set`` strings of the command line are parsed at the edge
(:func:`load`, :mod:`optimizer.instance.changes`), never inside.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optimizer.instance.changes import Change, render
from optimizer.instance.formats import load_any
from optimizer.instance.schema import Instance
from optimizer.model.diagnose import diagnose
from optimizer.model.evaluate import coverage
from optimizer.model.limits import build_checked
from optimizer.model.solve import Observer, Solution
from optimizer.model.solve import solve as solve_model
from optimizer.model.start import Plan
from optimizer.result import Result
from optimizer.results import make_report, plan_counts
from optimizer.results.dependency import plan_figures
from optimizer.solvers import DEFAULT_BACKEND, SolverOptions, Status

if TYPE_CHECKING:  # the analysis package and the checker are imported by the functions using them
    import pandas as pd

    from optimizer.analysis.sensitivity import Sensitivity
    from optimizer.check import CheckReport

#: The defaults of :func:`sensitivity` and :func:`sweep`: optimizer.analysis.sensitivity.TABLES
#: and optimizer.analysis.executors.DEFAULT_CHAIN, copied so that a solve does not import the
#: analysis package (tests/test_startup.py checks the copies).
TABLES = ("s1", "s2", "s3", "s4")
DEFAULT_CHAIN = 8

#: The name the command line and older code use for a solve's result.
Run = Result


def solve_instance(
    instance: Instance,
    solver: str = DEFAULT_BACKEND,
    options: SolverOptions | None = None,
    *,
    start: Plan | None = None,
    diagnose_infeasible: bool = True,
    instance_file: str | Path | None = None,
    overrides: Sequence[str] = (),
    results_dir: str | Path | None = None,
    extra_record: dict[str, object] | None = None,
    observe: Observer | None = None,
    us_dependency: bool = False,
    label: str | None = None,
) -> Result:
    """Build (within the size limits), solve and report ``instance``: the one solve path.

    ``start`` is a plan of a related solve, used only if its column layout is the same.
    An infeasible instance is diagnosed (:mod:`optimizer.model.diagnose`) unless
    ``diagnose_infeasible`` is False: the diagnosis goes into the run record, the summary and
    the run folder. ``instance_file`` and ``overrides`` (the ``--set`` items it was read
    with) are recorded in run.json; with ``results_dir`` the run folder is written there.
    ``observe`` is told every model handed to the backend (:func:`optimizer.model.solve`).
    ``result.timings`` has the wall and CPU seconds of the build, solve and report stages.
    ``us_dependency``: also re-solve without the US at each lower level and without each US
    capability (:mod:`optimizer.analysis.us_dependency`; a few more solves of the same size),
    for the re-optimised losses beside the static one. Off by default: a library caller or
    benchmark pays only for the solve it asked for; ``posture solve`` turns it on.
    ``label`` names the run folder and the run in comparisons (``posture solve --name``).
    Raises :class:`~optimizer.instance.reader.InstanceError` for a model beyond the size
    limits and :class:`~optimizer.solvers.SolverUnavailable` for an unknown backend.
    """
    clock = _Clock()
    with clock("build"):
        formulation, build_seconds = build_checked(instance, instance_file)
    with clock("solve"):
        x0 = start.start_for(formulation) if start is not None else None
        solution = solve_model(
            instance, solver, options, formulation=formulation, start=x0, observe=observe
        )
    solution = replace(solution, build_seconds=build_seconds)
    diagnosis = None
    extra = dict(extra_record or {})
    if label:
        extra["label"] = label
    if diagnose_infeasible and solution.status in (Status.INFEASIBLE, Status.UNBOUNDED):
        limit = solution.options.time_limit
        diagnosis = diagnose(formulation, time_limit=60.0 if limit is None else max(1.0, limit))
        extra["diagnosis"] = diagnosis.as_dict()
    counterfactual = straits = None
    if us_dependency and solution.x is not None:
        with clock("us_dependency"):
            counterfactual = us_counterfactual(solution, solver)
            straits = straits_counterfactual(solution, solver)
    with clock("report"):
        report = make_report(solution, instance_file, overrides, extra or None, counterfactual)
        if us_dependency and solution.x is not None and straits is not None:
            report.summary["straits"] = straits
    result = Result.of(solution, report, diagnosis, x0 is not None, clock.seconds)
    if results_dir is not None:
        result = result.written(result.to_folder(results_dir))
    return result


def us_counterfactual(solution: Solution, solver: str) -> dict[str, object]:
    """A1 counterfactuals for a solved plan, on the same solver and options (primary objective
    only, sharing the time limit; :func:`optimizer.analysis.us_dependency.solver_on`)."""
    from optimizer.analysis.us_dependency import counterfactuals, solver_on

    data = solution.data
    counts = plan_counts(solution)
    base = plan_figures(data, coverage(data, counts), solution.objective)
    began = time.perf_counter()
    run = solver_on(solver, solution.options)
    out = counterfactuals(solution.instance, base, run, data)
    return out | {"seconds": time.perf_counter() - began}


def straits_counterfactual(solution: Solution, solver: str) -> dict[str, object] | None:
    """F6: the plan's straits policy beside the other one, re-planned (same solver and options;
    :mod:`optimizer.analysis.straits`); None without Black Sea stations."""
    from optimizer.analysis.straits import both_policies
    from optimizer.analysis.us_dependency import solver_on

    return both_policies(solution, solver_on(solver, solution.options))


def solve_file(
    path: str | Path,
    overrides: Sequence[str] = (),
    solver: str = DEFAULT_BACKEND,
    options: SolverOptions | None = None,
    results_dir: str | Path | None = None,
) -> Result:
    """Read an instance file of any supported format with ``--set`` style ``overrides`` and
    solve it as ``posture solve`` does (file and overrides recorded in run.json)."""
    instance = load(path, overrides)
    return solve_instance(
        instance, solver, options, instance_file=path, overrides=overrides, results_dir=results_dir
    )


def load(
    path: str | Path,
    overrides: Sequence[str] = (),
    *,
    format: str | None = None,
    radius: float | None = None,
    stations: int | None = None,
) -> Instance:
    """Read an instance from any supported file, with ``--set`` style ``overrides``.

    Formats: posture YAML/TOML (with CSV side files), OR-Library set covering files
    (``scp*.txt``) and maximal covering files (SJC, Swain: give ``radius`` S and ``stations``
    p); ``format`` is inferred from the file name when None. Raises
    :class:`~optimizer.instance.reader.InstanceError` naming the file and field for bad input.
    """
    return load_any(path, format, radius, stations, list(overrides))


def solve(
    instance: Instance | str | Path,
    solver: str = DEFAULT_BACKEND,
    *,
    time_limit: float | None = None,
    gap: float = 1e-6,
    threads: int = 1,
    seed: int = 0,
    options: SolverOptions | None = None,
    us_dependency: bool = False,
) -> Result:
    """Solve an instance (or the instance file at that path) and return its :class:`Result`.

    ``solver`` is ``highs`` (default), ``cbc`` or ``ortools``; ``time_limit`` (seconds, per
    solve), ``gap`` (relative gap accepted as optimal), ``threads`` and ``seed`` are the
    options of ``posture solve`` (or pass ``options``, a ready SolverOptions).
    ``us_dependency=True`` adds the re-optimised US counterfactuals of ``posture solve`` to
    the summary (a few more solves). Nothing is written; ``result.to_folder(dir)`` writes the
    run folder.
    """
    if not isinstance(instance, Instance):
        instance = load(instance)
    if options is None:
        options = SolverOptions(time_limit=time_limit, gap=gap, threads=threads, seed=seed)
    return solve_instance(instance, solver.lower(), options, us_dependency=us_dependency)


def sensitivity(
    instance: Instance,
    *,
    tables: Sequence[str] = TABLES,
    switches: Iterable[Change | str] = (),
    tornado: Mapping[str, tuple[Any, Any]] | None = None,
    force_steps: int = 6,
    solver: str = DEFAULT_BACKEND,
    time_limit: float | None = None,
    gap: float = 1e-6,
    threads: int = 1,
    seed: int = 0,
    jobs: int = 1,
    chain_length: int = DEFAULT_CHAIN,
    progress: bool = False,
) -> Sensitivity:
    """The sensitivity tables of ``posture sensitivity`` for an instance in memory.

    ``tables`` picks among s1 (US participation), s2 (marginal value of each pool), s3
    (straits and ``switches``: changes such as ``Change.at("scenario.constraints.C8", False)``
    or ``"scenario.coverage_mode=threshold"``) and s4 (``tornado``: field path -> (low, high);
    None, the default, takes the instance's uncertainty ranges; and coverage against force
    level in ``force_steps`` steps). Every case is re-solved;
    ``jobs`` local processes share them. ``result.tables`` holds the DataFrames;
    :func:`optimizer.analysis.sensitivity_folder.write_sensitivity` writes the run folder.
    """
    from optimizer.analysis.cases import CaseBase
    from optimizer.analysis.sensitivity import Request, analyse

    options = SolverOptions(time_limit=time_limit, gap=gap, threads=threads, seed=seed)
    request = Request(
        tables=tuple(t for t in TABLES if t in tables),
        switches=tuple(str(s) for s in switches),
        tornado=None
        if tornado is None
        else tuple((path, render(lo), render(hi)) for path, (lo, hi) in tornado.items()),
        force_steps=force_steps,
    )
    base = CaseBase.of(instance, solver.lower(), options)
    return analyse(base, request, jobs=jobs, chain_length=chain_length, progress=progress)


def sweep(
    instance: Instance,
    vary: Mapping[str, Iterable[Any]],
    *,
    one_at_a_time: bool = False,
    solver: str = DEFAULT_BACKEND,
    time_limit: float | None = None,
    gap: float = 1e-6,
    threads: int = 1,
    seed: int = 0,
    jobs: int = 1,
    chain_length: int = DEFAULT_CHAIN,
    out: str | Path | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Solve the grid of ``vary`` (field path -> values) and return one row per case.

    ``vary={"pools.FR-RAFALE.units": range(0, 30, 6)}`` varies one field; several fields form
    the full grid (last fastest), or each alone around the instance with ``one_at_a_time``.
    Columns: the case, each varied field, then the figures of ``posture sweep``
    (:data:`optimizer.analysis.cases.METRICS`). With ``out`` the sweep folder is kept there
    (its path in ``table.attrs["folder"]``); otherwise it is written to a temporary folder.
    """
    from optimizer.analysis.cases import CaseBase
    from optimizer.analysis.params import Vary
    from optimizer.analysis.sweep import run_sweep

    options = SolverOptions(time_limit=time_limit, gap=gap, threads=threads, seed=seed)
    varies = tuple(Vary(path, tuple(render(v) for v in values)) for path, values in vary.items())
    base = CaseBase.of(instance, solver.lower(), options)
    with tempfile.TemporaryDirectory(prefix="posture-sweep-") as scratch:
        result = run_sweep(
            base,
            varies,
            one_at_a_time=one_at_a_time,
            results_dir=scratch if out is None else out,
            jobs=jobs,
            chain_length=chain_length,
            progress=progress,
        )
        table = result.table.copy()
    if out is not None:
        table.attrs["folder"] = str(result.folder)
    return table


def compare(
    a: Result | str | Path,
    b: Result | str | Path,
    labels: Sequence[str] | None = None,
    tolerance: float = 1e-9,
) -> dict[str, pd.DataFrame]:
    """The tables of ``posture compare`` for two results (or run folders): B - A.

    Tables: ``summary`` (figures and scenario settings with differences), ``sectors`` (whose
    coverage changed), ``pools`` and ``bases`` (whose use changed). ``labels`` name the two
    sides (default: A and B). Changes smaller than ``tolerance`` count as none.
    """
    from optimizer.analysis import compare as comparison

    names = list(labels) if labels is not None else ["A", "B"]
    if len(names) != 2:
        raise ValueError(f"expected two labels, got {len(names)}")
    with tempfile.TemporaryDirectory(prefix="posture-compare-") as scratch:
        sides = [
            comparison.load(_folder_of(side, Path(scratch) / name))
            for side, name in zip((a, b), ("a", "b"), strict=True)
        ]
        sides = [replace(side, label=label) for side, label in zip(sides, names, strict=True)]
        return comparison.compare(sides[0], sides[1], tolerance)


def verify(instance: Instance | None, result: Result | str | Path) -> CheckReport:
    """Check a result's plan against ``instance`` with the independent checker.

    The checker reads only the instance and the run folder (a result not yet written is
    written to a temporary folder first), never the model code; ``instance=None`` checks
    against the run's own instance.json. ``report.ok`` is the verdict, ``report.text()``
    the details.
    """
    from optimizer.check import verify_run

    with tempfile.TemporaryDirectory(prefix="posture-verify-") as scratch:
        return verify_run(instance, _folder_of(result, Path(scratch)))


class _Clock:
    """Wall and CPU seconds of named stages: ``with clock("build"): ...``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds[f"{stage}_s"] = time.perf_counter() - wall
            self.seconds[f"{stage}_cpu_s"] = time.process_time() - cpu


def _folder_of(result: Result | str | Path, scratch: Path) -> Path:
    """The run folder of ``result``: its own, or one written under ``scratch``."""
    if not isinstance(result, Result):
        return Path(result)
    if result.run_dir is not None and result.run_dir.is_dir():
        return result.run_dir
    return result.to_folder(scratch)


__all__ = [
    "Run",
    "compare",
    "load",
    "sensitivity",
    "solve",
    "solve_file",
    "solve_instance",
    "sweep",
    "verify",
]
