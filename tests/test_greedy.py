"""The greedy plan (optimizer.model.greedy): feasible, below the optimum, a valid bound beside
it (never below the optimum, never above the bound of every station at once, and below it where
resources bind), and the plan a solve keeps when the solver has none within its time limit."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

from optimizer.instance import load_instance
from optimizer.instance.generate import Size, generate_instance
from optimizer.model import solve
from optimizer.model.evaluate import coverage, objective_value
from optimizer.model.greedy import coverage_bound, fractional_knapsack, greedy_plan
from optimizer.model.solve import build_model
from optimizer.solvers import SolverOptions, Status
from optimizer.solvers.base import Outcome

solve_module = importlib.import_module("optimizer.model.solve")
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["baseline", "no-us", "straits-closed", "fine-front"])
def test_greedy_plan_is_feasible_and_below_the_optimum(name: str) -> None:
    instance = load_instance(ROOT / "instances" / f"{name}.yaml")
    formulation, _ = build_model(instance)
    x = greedy_plan(formulation)
    assert x is not None
    m = formulation.matrix
    activity = m.A @ x
    assert (activity <= m.row_hi + 1e-7).all() and (activity >= m.row_lo - 1e-7).all()
    counts = x[formulation.x_slice]
    assert np.array_equal(counts, np.round(counts)) and counts.sum() > 0
    value = objective_value(formulation.data, counts, coverage(formulation.data, counts))
    optimum = solve(instance, formulation=formulation).objective
    bound = coverage_bound(formulation)
    assert optimum is not None and bound is not None
    assert 0 < value <= optimum + 1e-9 <= bound + 2e-9


class _NoPlanInTime:
    """A backend that always stops at its time limit with neither a plan nor a bound."""

    name = "stub"
    supports_warm_start = True

    def available(self) -> bool:
        return True

    def version(self) -> str:
        return "stub"

    def solve(self, model, options, start=None) -> Outcome:
        return Outcome(Status.TIME_LIMIT, None, None, None, 0.01, "time limit")


def test_a_solve_without_a_plan_in_time_keeps_the_greedy_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance = load_instance(ROOT / "instances" / "baseline.yaml")
    formulation, _ = build_model(instance)
    monkeypatch.setattr(solve_module, "GREEDY_MIN_NONZEROS", 0)
    monkeypatch.setattr(solve_module, "get_backend", lambda name: _NoPlanInTime())
    result = solve(instance, "stub", formulation=formulation)
    assert result.status is Status.TIME_LIMIT and result.x is not None
    greedy = greedy_plan(formulation)
    assert greedy is not None
    assert np.array_equal(result.x[formulation.x_slice], greedy[formulation.x_slice])
    assert result.best_bound == pytest.approx(coverage_bound(formulation))
    assert result.objective is not None and result.gap is not None
    assert result.objective < result.best_bound and result.gap > 0
    assert "greedy" in result.message


class _StartNoBound(_NoPlanInTime):
    """Stops at its time limit with the start it was given as its plan, and no bound (as
    HiGHS does when its time limit falls inside presolve)."""

    def solve(self, model, options, start=None) -> Outcome:
        objective = None if start is None else float(model.c @ start)
        return Outcome(Status.TIME_LIMIT, start, objective, None, 0.01, "time limit")


def test_a_plan_without_a_bound_gets_the_bound_of_every_station(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance = load_instance(ROOT / "instances" / "no-us.yaml")
    formulation, _ = build_model(instance)
    monkeypatch.setattr(solve_module, "GREEDY_MIN_NONZEROS", 0)
    monkeypatch.setattr(solve_module, "get_backend", lambda name: _StartNoBound())
    result = solve(instance, "stub", formulation=formulation)
    assert result.status is Status.TIME_LIMIT and result.x is not None
    assert result.best_bound == pytest.approx(coverage_bound(formulation))
    assert result.gap is not None and result.gap > 0 and "resources relaxed" in result.message


def _every_station(formulation) -> float:
    """The old bound: every triple at its upper bound at once, resources ignored."""
    most = np.floor(formulation.matrix.col_hi[formulation.x_slice] + 1e-9)
    return float(formulation.data.k_weight @ coverage(formulation.data, most).sector)


def test_fractional_knapsack_by_hand() -> None:
    # Row 0 (cap 5): t1 (4 a unit) whole, t0 (3 a unit, 2 of 2 units each) whole, nothing
    # left for t2 (2.5 a unit) nor t5 (worth < 0). Row 1 (cap 1): half of t3 (2 units each).
    # t4 is in no row: all 10.  4 + 12 + 2.5 + 10 = 28.5
    value = np.array([6.0, 4.0, 2.5, 5.0, 1.0, -1.0])
    most = np.array([2.0, 1.0, 3.0, 1.0, 10.0, 4.0])
    row = np.array([0, 0, 0, 1, -1, 0])
    entry = np.array([2.0, 1.0, 1.0, 2.0, 0.0, 1.0])
    best, x = fractional_knapsack(value, most, (row, entry, np.array([5.0, 1.0])))
    assert best == pytest.approx(28.5)
    assert x == pytest.approx([2.0, 1.0, 0.0, 0.5, 10.0, 0.0])


@pytest.mark.parametrize(
    ("name", "overrides"),
    [
        ("baseline", ()),
        ("straits-closed", ()),
        ("us-enablers-only", ("scenario.coverage_mode=threshold",)),
        ("budget-cut", ()),
    ],
)
def test_bound_is_valid_on_the_shipped_instances(name: str, overrides: tuple[str, ...]) -> None:
    instance = load_instance(ROOT / "instances" / f"{name}.yaml", overrides)
    formulation, _ = build_model(instance)
    optimum = solve(instance, formulation=formulation).objective
    bound = coverage_bound(formulation)
    assert optimum is not None and bound is not None
    assert optimum - 1e-9 <= bound <= _every_station(formulation) + 1e-9


def test_bound_is_tighter_where_resources_bind() -> None:
    # straits-closed: 139.81 (Lagrangian steps from the every-station point) against 146.37;
    # the optimum is 68.52.
    instance = load_instance(ROOT / "instances" / "straits-closed.yaml")
    formulation, _ = build_model(instance)
    assert _every_station(formulation) == pytest.approx(146.3735)
    assert coverage_bound(formulation) < 141.0


@pytest.mark.parametrize(
    ("sectors", "overrides", "optimum", "every", "most"),
    [
        # optimum (HiGHS, proven), every-station bound, and a ceiling this bound stays under
        (300, (), 430.995925, 512.311, 495.0),
        (1_000, (), 555.594375, 1346.344, 740.0),
        (1_000, ("scenario.coverage_mode=threshold",), 462.285, 1273.975, 720.0),
    ],
)
def test_bound_on_generated_instances(
    sectors: int,
    overrides: tuple[str, ...],
    optimum: float,
    every: float,
    most: float,
    tmp_path: Path,
) -> None:
    from optimizer.instance.generate_io import write_instance

    path = tmp_path / "generated.yaml"
    write_instance(generate_instance(Size.default(sectors), 1), path, force=True)
    instance = load_instance(path, overrides)
    formulation, _ = build_model(instance)
    result = solve(instance, formulation=formulation)
    assert result.status is Status.OPTIMAL
    assert result.objective == pytest.approx(optimum, abs=1e-6)
    assert _every_station(formulation) == pytest.approx(every, abs=1e-3)
    bound = coverage_bound(formulation)
    assert bound is not None and optimum <= bound < most
    # with no subgradient step: the better of λ = w (each station worth its own gains, within
    # the pools' units) and λ = 0 (every station at once)
    first = coverage_bound(formulation, iterations=0)
    assert first is not None and bound <= first <= _every_station(formulation) + 1e-9
    greedy = greedy_plan(formulation)
    assert greedy is not None
    counts = greedy[formulation.x_slice]
    value = objective_value(formulation.data, counts, coverage(formulation.data, counts))
    assert 0 < value <= optimum + 1e-9


def test_greedy_without_time_returns_the_empty_plan_checked() -> None:
    # The time share covers the setup too: no time at all gives the plan of no station, which
    # still satisfies every row (nothing infeasible is handed over).
    instance = load_instance(ROOT / "instances" / "baseline.yaml")
    formulation, _ = build_model(instance)
    x = greedy_plan(formulation, seconds=0.0)
    assert x is not None and not x[formulation.x_slice].any()
    m = formulation.matrix
    activity = m.A @ x
    assert (activity <= m.row_hi + 1e-7).all() and (activity >= m.row_lo - 1e-7).all()


class _MustNotRun(_NoPlanInTime):
    def solve(self, model, options, start=None) -> Outcome:
        raise AssertionError("the solver was started although its presolve outlasts the limit")


def test_the_solver_is_not_started_when_its_presolve_outlasts_the_time_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The greedy plan and the bound without a solve, status time_limit, and a note saying
    the solver was not started (at 100,000 sectors HiGHS is still in presolve at the limit)."""
    instance = load_instance(ROOT / "instances" / "baseline.yaml")
    formulation, _ = build_model(instance)
    monkeypatch.setattr(solve_module, "GREEDY_MIN_NONZEROS", 0)
    monkeypatch.setattr(solve_module, "PRESOLVE_SECONDS_PER_MILLION_NONZEROS", 1e9)
    monkeypatch.setattr(solve_module, "get_backend", lambda name: _MustNotRun())
    options = SolverOptions(time_limit=30.0)
    result = solve(instance, "stub", options, formulation=formulation)
    assert result.status is Status.TIME_LIMIT and result.x is not None
    greedy = greedy_plan(formulation)
    assert greedy is not None
    assert np.array_equal(result.x[formulation.x_slice], greedy[formulation.x_slice])
    assert result.best_bound == pytest.approx(coverage_bound(formulation))
    assert result.phases[0]["note"] == solve_module.SKIPPED_SOLVER
    # without a time limit there is no such shortcut: the solver runs (and here refuses)
    with pytest.raises(AssertionError, match="solver was started"):
        solve(instance, "stub", SolverOptions(), formulation=formulation)
