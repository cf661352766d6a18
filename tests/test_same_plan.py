"""SPEC O1: the same plan from every backend, compared as run-folder plan.csv files.

Objectives only agreeing is not enough: figures that depend on the plan (US dependency, base
loads, nations' shares) move with whichever of several tied plans a backend returns. The
order phase (optimizer.model.formulation) decides the tie exactly; these tests compare the
sorted rows of ``plan.csv`` written by each backend, on every shipped instance, the test
instances, and the other two objectives. The tie-break runs without its time budget here
(``tie_break_share=inf``) so that a loaded machine cannot stop it early: what is tested is
the plan it decides, not how fast.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.api import solve_instance
from optimizer.instance import load_instance
from optimizer.solvers import SolverOptions, Status

ROOT = Path(__file__).resolve().parents[1]
SOLVERS = ("highs", "cbc", "ortools")
UNBUDGETED = SolverOptions(tie_break_share=float("inf"))
CASES = [
    *((p.relative_to(ROOT).as_posix(), ()) for p in sorted((ROOT / "instances").glob("*.yaml"))),
    *((p.relative_to(ROOT).as_posix(), ()) for p in sorted((ROOT / "tests/data").glob("*.yaml"))),
    ("instances/baseline.yaml", ("scenario.objective=max-min",)),
    ("instances/no-us.yaml", ("scenario.coverage_mode=threshold",)),
]


def plan_rows(path: str, overrides: tuple[str, ...], solver: str, out: Path) -> list[str]:
    run = solve_instance(
        load_instance(ROOT / path, list(overrides)), solver, UNBUDGETED, results_dir=out
    )
    assert run.solution.status is Status.OPTIMAL, (path, solver, run.solution.message)
    phases = run.solution.phases
    assert phases[-1]["phase"] == "order" and phases[-1]["status"] == "optimal", phases
    assert run.run_dir is not None
    lines = (run.run_dir / "plan.csv").read_text().splitlines()
    assert len(lines) > 1, "an empty plan decides nothing"
    return sorted(lines[1:])


@pytest.mark.parametrize(("path", "overrides"), CASES, ids=[f"{p} {' '.join(o)}" for p, o in CASES])
def test_every_backend_writes_the_same_plan(
    path: str, overrides: tuple[str, ...], tmp_path: Path
) -> None:
    plans = {s: plan_rows(path, overrides, s, tmp_path / s) for s in SOLVERS}
    assert plans["cbc"] == plans["highs"]
    assert plans["ortools"] == plans["highs"]
