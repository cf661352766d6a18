"""One case of a sweep or a sensitivity table: typed changes in, one result row (and a plan) out.

The instance is read once (:func:`load_base`, or :meth:`CaseBase.of` for an instance in
memory); each case copies only the top-level fields its changes touch, applies them and
validates, exactly like ``posture solve --set`` (:mod:`optimizer.instance.changes`). Every case
is solved by the one checked path of ``posture solve`` (:func:`optimizer.api.solve_instance`:
size limits, the same phases, the same figures). A case never raises: bad values give a row
with status ``invalid``, solver failures a row with status ``error``, so one bad case cannot
stop a sweep.

Warm starts: a case may receive the previous case's plan. It is used only when the variable
layout is the same (the same admissible triples and the same number of coverage columns), and
the row records whether the backend accepted it (``warm_start``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from optimizer.instance.changes import Change, apply_changes, parse_changes
from optimizer.instance.reader import InstanceError, SideFile, read_raw
from optimizer.instance.schema import Instance
from optimizer.model.start import Plan, layout_key
from optimizer.solvers import SolverOptions

#: The figures every case reports, in table order (after the case's own parameters).
METRICS = (
    "status",
    "objective",
    "best_bound",
    "gap",
    "front_miles_covered",
    "front_pct",
    "longest_uncovered_miles",
    "air_coverage",
    "sea_coverage",
    "air_points",
    "sea_points",
    "shipping_protected_per_leg",
    "shipping_protected_end_to_end",
    "stations",
    "cost",
    "warm_start",
    "build_seconds",
    "solve_seconds",
    "message",
)
#: The figures a case takes from the solve's summary under the same name.
FIGURES = (
    "front_miles_covered",
    "front_pct",
    "longest_uncovered_miles",
    "air_coverage",
    "sea_coverage",
    "shipping_protected_per_leg",
    "shipping_protected_end_to_end",
)
#: Columns that measure time, not results: the only ones that differ between executors.
TIMING = ("build_seconds", "solve_seconds")


@dataclass(frozen=True)
class Case:
    """A numbered case: the typed changes that make it from the base instance."""

    index: int
    changes: tuple[Change, ...]
    label: str = ""
    params: dict[str, str] = field(default_factory=dict)  # what the table shows per case


@dataclass(frozen=True)
class CaseBase:
    """What every case shares: the plain data (read once), fixed changes, the solver.

    ``path`` is the instance file (None for an instance held in memory); ``origins`` says
    which list came from which CSV side file, so errors name the row of that file.
    """

    raw: dict[str, Any]
    path: Path | None
    origins: dict[str, SideFile]
    solver: str = "highs"
    options: SolverOptions = field(default_factory=SolverOptions)
    fixed: tuple[Change, ...] = ()

    @classmethod
    def of(
        cls,
        instance: Instance,
        solver: str = "highs",
        options: SolverOptions | None = None,
        fixed: tuple[Change, ...] = (),
    ) -> CaseBase:
        """The cases of an instance held in memory."""
        base = cls(
            instance.model_dump(mode="json"), None, {}, solver, options or SolverOptions(), fixed
        )
        base.instance()
        return base

    @property
    def source(self) -> str:
        """How errors name the instance: its file, or ``instance NAME``."""
        return str(self.path) if self.path is not None else f"instance {self.raw.get('name')}"

    def instance(self, changes: tuple[Change, ...] = ()) -> Instance:
        """The validated instance of these changes (raises InstanceError)."""
        return apply_changes(self.raw, (*self.fixed, *changes), self.source, self.origins)


@dataclass(frozen=True)
class CaseResult:
    """One solved case: its table row, and its plan (a start for the next case)."""

    index: int
    row: dict[str, Any]
    plan: Plan | None


def load_base(
    path: str | Path,
    solver: str = "highs",
    options: SolverOptions | None = None,
    fixed: tuple[str, ...] | list[str] = (),
) -> CaseBase:
    """Parse the instance file once and the fixed ``--set`` items; check that they give a
    valid instance."""
    path = Path(path)
    raw, origins = read_raw(path)
    changes = parse_changes(fixed)
    base = CaseBase(raw, path, origins, solver, options or SolverOptions(), changes)
    base.instance()
    return base


def empty_row(status: str, message: str = "") -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(METRICS)
    row.update(status=status, message=message, warm_start=False)
    return row


def run_case(base: CaseBase, case: Case, start: Plan | None = None) -> CaseResult:
    """Solve one case; never raises for bad values or solver failures."""
    from optimizer.api import solve_instance  # the one checked path (imports the solvers)

    began = time.perf_counter()
    try:
        instance = base.instance(case.changes)
    except InstanceError as exc:
        return CaseResult(case.index, empty_row("invalid", str(exc)), None)
    validated = time.perf_counter()
    try:
        result = solve_instance(
            instance, base.solver, base.options, start=start, diagnose_infeasible=False
        )
    except InstanceError as exc:  # the model is beyond the size limits
        return CaseResult(case.index, empty_row("invalid", str(exc)), None)
    except Exception as exc:  # a solver or model failure is this case's result, not the sweep's
        return CaseResult(case.index, empty_row("error", f"{type(exc).__name__}: {exc}"), None)
    solution = result.solution
    row = empty_row(solution.status.value, solution.message if solution.x is None else "")
    row.update(
        objective=solution.objective,
        best_bound=solution.best_bound,
        gap=solution.gap,
        warm_start=bool(result.started and solution.warm_started),
        build_seconds=validated - began + solution.build_seconds,
        solve_seconds=solution.solve_seconds,
    )
    plan = None
    if solution.x is not None:
        figures = result.figures
        points = figures["objective_by_kind"]
        row["air_points"], row["sea_points"] = points["air"], points["sea"]
        for key in FIGURES:
            row[key] = figures[key]
        row["stations"] = figures["stations_placed"]
        row["cost"] = figures["cost"]
        plan = Plan(layout_key(solution.formulation), np.asarray(solution.x, dtype=float))
    return CaseResult(case.index, _plain(row), plan)


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}
