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


def test_highs_optimal_claim_with_a_far_bound_is_not_taken() -> None:
    """HiGHS's "optimal" counts only if its bound proves the plan read back (10x the gap)."""
    from optimizer.solvers.highs import _far_apart

    assert not _far_apart(4.696, 4.696 - 1e-6, 1e-6)
    assert not _far_apart(1500.0, 1500.0 - 1e-3, 1e-6)  # within 10 x gap x |objective|
    assert _far_apart(6.149, 3.896, 1e-6)
    assert not _far_apart(6.149, None, 1e-6)  # nothing to check against


def test_a_misjudged_start_does_not_give_a_wrong_optimum(tmp_path: Path) -> None:
    """HiGHS 1.16, started from the coverage plan on the same-coverage model of this
    generated instance, stops at once with "optimal" and a bound (3.90) that does not prove
    the start it returns (6.15). The backend must see through it and solve again without the
    start: the answer equals the solve from scratch (4.70), with the status proven."""
    import numpy as np

    from optimizer.instance import load_instance
    from optimizer.instance.generate import Size, generate_instance
    from optimizer.instance.generate_io import write_instance
    from optimizer.model.solve import _same_coverage, build_model
    from optimizer.solvers import get_backend

    path = tmp_path / "small.yaml"
    write_instance(generate_instance(Size.default(45), seed=2), path)
    formulation, _ = build_model(load_instance(path))
    backend = get_backend("highs")
    coverage, cost = formulation.phases[0].c, formulation.phases[1].c
    first = backend.solve(formulation.matrix.with_objective(coverage), SolverOptions())
    assert first.status is Status.OPTIMAL and first.x is not None
    value = float(coverage @ first.x)
    kept = formulation.matrix.with_row(coverage, -np.inf, value + 1e-7, "keep")
    restricted = _same_coverage(kept, formulation, first.x).with_objective(cost)
    scratch = backend.solve(restricted, SolverOptions())
    started = backend.solve(restricted, SolverOptions(), first.x)
    assert scratch.status is Status.OPTIMAL and started.status is Status.OPTIMAL
    assert started.objective == pytest.approx(scratch.objective, rel=1e-6)
    assert started.bound is not None and started.objective - started.bound < 1e-4
    assert started.objective < float(cost @ first.x) - 1.0  # cheaper than the start itself


def test_highs_thread_count_can_change_within_one_process() -> None:
    """HiGHS sizes its task scheduler once per process: without a reset, a solve with 2
    threads after one with 1 ended with model status "not set" (an error). Each solve here,
    in any order of thread counts, must prove the same optimum."""
    small = hard_instance(n_sectors=12, n_stations=12, per=3, units=3)
    values = []
    for threads in (1, 2, 1, 2):
        done = solve(small, "highs", SolverOptions(threads=threads, time_limit=30))
        assert done.status is Status.OPTIMAL, (threads, done.message)
        values.append(done.objective)
    assert max(values) - min(values) < 1e-6
