"""The greedy plan (optimizer.model.greedy): feasible, below the optimum, a valid bound beside
it, and the plan a solve keeps when the solver has none within its time limit."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

from optimizer.instance import load_instance
from optimizer.model import solve
from optimizer.model.evaluate import coverage, objective_value
from optimizer.model.greedy import coverage_bound, greedy_plan
from optimizer.model.solve import build_model
from optimizer.solvers import Status
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
    assert result.gap is not None and result.gap > 0 and "every station" in result.message
