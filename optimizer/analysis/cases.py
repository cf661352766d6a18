"""One case of a sweep or a sensitivity table: overrides in, one result row (and a plan) out.

The instance file is parsed once (:func:`load_base`); each case copies only the top-level
lists its overrides touch, applies them and validates, exactly like ``posture solve --set``.
A case never raises: bad values give a row with status ``invalid``, solver failures a row with
status ``error``, so one bad case cannot stop a sweep.

Warm starts: a case may receive the previous case's plan. It is used only when the variable
layout is the same (the same admissible triples and the same number of coverage columns), and
the row records whether the backend accepted it (``warm_start``).
"""

from __future__ import annotations

import copy
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from optimizer.instance.reader import (
    InstanceError,
    SideFile,
    apply_overrides,
    read_raw,
    validate,
)
from optimizer.instance.schema import Instance
from optimizer.model.formulation import Formulation
from optimizer.model.solve import build_model, solve
from optimizer.results.by_kind import points_by_kind
from optimizer.results.metrics import coverage, headline
from optimizer.results.report import plan_counts
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
#: Columns that measure time, not results: the only ones that differ between executors.
TIMING = ("build_seconds", "solve_seconds")


@dataclass(frozen=True)
class Case:
    """A numbered case: the overrides (``PATH=VALUE``) that make it from the base instance."""

    index: int
    overrides: tuple[str, ...]
    label: str = ""
    params: dict[str, str] = field(default_factory=dict)  # what the table shows per case


@dataclass(frozen=True)
class CaseBase:
    """What every case shares: the raw data (read once), fixed overrides, the solver."""

    raw: dict[str, Any]
    path: Path
    origins: dict[str, SideFile]
    solver: str = "highs"
    options: SolverOptions = field(default_factory=SolverOptions)
    fixed: tuple[str, ...] = ()

    def instance(self, overrides: tuple[str, ...] = ()) -> Instance:
        """The validated instance of these overrides (raises InstanceError)."""
        data = dict(self.raw)
        items = (*self.fixed, *overrides)
        for top in {item.split("=", 1)[0].strip().split(".", 1)[0] for item in items}:
            if top in data:
                data[top] = copy.deepcopy(data[top])  # copy only what the overrides touch
        origins = dict(self.origins)
        apply_overrides(data, items, self.path, origins)
        return validate(data, self.path, origins)


@dataclass(frozen=True)
class Plan:
    """A solved case's full column vector and the layout it belongs to."""

    layout: str
    x: np.ndarray


@dataclass(frozen=True)
class CaseResult:
    index: int
    row: dict[str, Any]
    plan: Plan | None


def load_base(
    path: str | Path,
    solver: str = "highs",
    options: SolverOptions | None = None,
    fixed: tuple[str, ...] | list[str] = (),
) -> CaseBase:
    """Parse the instance file once; check that the fixed overrides give a valid instance."""
    path = Path(path)
    raw, origins = read_raw(path)
    base = CaseBase(raw, path, origins, solver, options or SolverOptions(), tuple(fixed))
    base.instance()
    return base


def layout_key(formulation: Formulation) -> str:
    """Identifies the column layout: a plan of one layout is a valid start for another."""
    data = formulation.data
    digest = hashlib.sha256()
    digest.update(repr((formulation.matrix.shape[1], formulation.n_y, formulation.n_z)).encode())
    for array in (data.t_pool, data.t_base, data.t_station):
        digest.update(np.ascontiguousarray(array, dtype=np.int64).tobytes())
    return digest.hexdigest()[:16]


def empty_row(status: str, message: str = "") -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(METRICS)
    row.update(status=status, message=message, warm_start=False)
    return row


def run_case(base: CaseBase, case: Case, start: Plan | None = None) -> CaseResult:
    """Solve one case; never raises for bad values or solver failures."""
    began = time.perf_counter()
    try:
        instance = base.instance(case.overrides)
    except InstanceError as exc:
        return CaseResult(case.index, empty_row("invalid", str(exc)), None)
    try:
        formulation, _ = build_model(instance)
        layout = layout_key(formulation)
        warm = start.x if start is not None and start.layout == layout else None
        built = time.perf_counter()
        solution = solve(instance, base.solver, base.options, formulation=formulation, start=warm)
    except Exception as exc:  # a solver or model failure is this case's result, not the sweep's
        return CaseResult(case.index, empty_row("error", f"{type(exc).__name__}: {exc}"), None)
    row = empty_row(solution.status.value, solution.message if solution.x is None else "")
    row.update(
        objective=solution.objective,
        best_bound=solution.best_bound,
        gap=solution.gap,
        warm_start=bool(warm is not None and solution.warm_started),
        build_seconds=built - began,
        solve_seconds=solution.solve_seconds,
    )
    plan = None
    if solution.x is not None:
        counts = plan_counts(solution)
        cov = coverage(solution.data, counts)
        figures = headline(solution.data, cov)
        points = points_by_kind(solution.data, cov.sector)["objective_by_kind"]
        assert isinstance(points, dict)
        row["air_points"], row["sea_points"] = points["air"], points["sea"]
        for key in ("front_miles_covered", "front_pct", "longest_uncovered_miles"):
            row[key] = figures[key]
        for key in ("air_coverage", "sea_coverage", "shipping_protected_per_leg"):
            row[key] = figures[key]
        row["shipping_protected_end_to_end"] = figures["shipping_protected_end_to_end"]
        row["stations"] = int(counts.sum())
        row["cost"] = float(solution.data.t_cost @ counts)
        plan = Plan(layout, np.asarray(solution.x, dtype=float))
    return CaseResult(case.index, _plain(row), plan)


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in row.items()}
