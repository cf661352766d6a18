"""Honest partial results: a time-limited solve keeps its plan as time_limit, never optimal.

The instance (tests.strategies.hard_instance: maximal covering, threshold mode, requirement 2,
300 sectors x 300 stations) takes every backend far longer than the 1 s limit to prove.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.api import solve_instance
from optimizer.cli import main
from optimizer.model import solve
from optimizer.solvers import SolverOptions, Status
from optimizer.solvers.base import Outcome
from tests.recompute import checked_objective
from tests.strategies import hard_instance, write_yaml

LIMIT = 1.5


@pytest.fixture(scope="module")
def hard():
    return hard_instance()


@pytest.mark.parametrize("solver", ["highs", "cbc", "ortools"])
def test_time_limit_keeps_an_honest_incumbent(hard, solver: str, tmp_path: Path) -> None:
    run = solve_instance(hard, solver, SolverOptions(time_limit=LIMIT), results_dir=tmp_path)
    sol = run.solution
    assert sol.status is Status.TIME_LIMIT, (sol.status, sol.message)
    assert sol.x is not None and sol.objective is not None and sol.objective > 0
    assert math.isclose(checked_objective(sol), sol.objective)  # the plan recomputes
    if solver == "highs":  # HiGHS always gives its dual bound
        assert sol.best_bound is not None
    if sol.best_bound is not None:
        assert sol.best_bound >= sol.objective - 1e-6  # maximisation: bound above
        assert sol.gap is not None and sol.gap > 0
    record = json.loads((run.run_dir / "run.json").read_text())
    assert record["status"] == "time_limit" and record["proven_optimal"] is False
    assert record["objective"] == pytest.approx(sol.objective)
    assert record["best_bound"] == (
        None if sol.best_bound is None else pytest.approx(sol.best_bound)
    )
    assert record["options"]["time_limit"] == LIMIT
    assert "NOT proven optimal" in (run.run_dir / "summary.txt").read_text()
    assert sol.solve_seconds < LIMIT + 3.0


def test_cli_time_limit_exit_zero_with_status(hard, tmp_path: Path) -> None:
    file = tmp_path / "hard.yaml"
    write_yaml(hard, file)
    result = CliRunner().invoke(main, ["solve", str(file), "--time-limit", "0.5", "--json"])
    assert result.exit_code == 0, result.output
    view = json.loads(result.stdout)
    assert view["status"] == "time_limit" and view["best_bound"] >= view["objective"]
    assert view["gap"] > 0


def test_unknown_solver_is_a_usage_error_naming_the_choices(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["solve", "tests/data/tiny.yaml", "--solver", "gurobi"])
    assert result.exit_code == 2
    assert "'gurobi' is not one of 'highs', 'cbc', 'ortools'" in result.output


def test_missing_backend_names_the_installed_ones(monkeypatch, tmp_path: Path) -> None:
    from optimizer.solvers.cbc import CbcBackend

    monkeypatch.setattr(CbcBackend, "available", lambda self: False)
    result = CliRunner().invoke(
        main, ["solve", "tests/data/tiny.yaml", "--solver", "cbc", "--no-write"]
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: solver 'cbc' is not installed; installed: highs, ortools"
    )


def test_solver_error_is_one_clear_line_and_exit_1(monkeypatch) -> None:
    from optimizer.solvers.highs import HighsBackend

    def broken(self, model, options, start=None):
        return Outcome(Status.ERROR, None, None, None, 0.0, "HiGHS: kSolveError")

    monkeypatch.setattr(HighsBackend, "solve", broken)
    result = CliRunner().invoke(main, ["solve", "tests/data/tiny.yaml", "--no-write"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: no plan: solver highs ended 'error': HiGHS: kSolveError"
    assert "Traceback" not in result.output


def test_a_crashing_backend_is_one_line_exit_1(monkeypatch) -> None:
    from optimizer.solvers.highs import HighsBackend

    def crash(self, model, options, start=None):
        raise RuntimeError("solver crashed\nsecond line")

    monkeypatch.setattr(HighsBackend, "solve", crash)
    result = CliRunner().invoke(main, ["solve", "tests/data/tiny.yaml", "--no-write"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "solver crashed" in result.stderr


def test_optimal_is_reported_only_when_proven(hard) -> None:
    small = hard_instance(n_sectors=20, n_stations=20, per=4, units=4)
    done = solve(small, "highs", SolverOptions(time_limit=30))
    assert done.status is Status.OPTIMAL and done.gap is not None and done.gap <= 1e-6
