"""--solver portfolio: backends raced in processes, the first proven result, nothing left over."""

from __future__ import annotations

import importlib
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from optimizer.cli.interrupt import descendants
from optimizer.instance import load_instance
from optimizer.model import solve
from optimizer.model.portfolio import entrants, solve_portfolio
from optimizer.model.solve import build_model
from optimizer.solvers import SolverOptions, Status

solve_module = importlib.import_module("optimizer.model.solve")  # the module, not the function
ROOT = Path(__file__).resolve().parents[1]
UNBUDGETED = SolverOptions(tie_break_share=float("inf"))


# Processes that were children before a race (an earlier test's multiprocessing resource
# tracker lives as long as the test process) are not the race's to stop: compare with them.


def _races_left() -> list[Path]:
    return sorted(Path(tempfile.gettempdir()).glob("posture-race-*"))


def test_entrants_by_cores() -> None:
    assert entrants(2)[:2] == ("highs", "cbc") and "ortools" not in entrants(2)
    assert entrants(4) == ("highs", "cbc", "ortools")


def test_portfolio_gives_the_plan_of_every_backend() -> None:
    """Whichever backend wins, the plan is the one each backend gives alone (the tie-break
    decides), the race says who won and how each ended, and nothing is left running."""
    instance = load_instance(ROOT / "instances" / "no-us.yaml")
    before, running = _races_left(), descendants()
    raced = solve(instance, "portfolio", UNBUDGETED)
    alone = solve(instance, "highs", UNBUDGETED)
    assert raced.status is Status.OPTIMAL and raced.solver == "portfolio"
    assert raced.objective == pytest.approx(alone.objective)
    stations = raced.formulation.x_slice  # the plan; continuous columns may differ a little
    assert raced.x is not None and alone.x is not None
    assert np.array_equal(raced.x[stations], alone.x[stations])
    assert raced.phases[-1]["phase"] == "order" and raced.phases[-1]["status"] == "optimal"
    race = {r["backend"]: r for r in raced.race}
    assert set(race) == set(entrants()) and sum(bool(r["won"]) for r in race.values()) == 1
    won = next(r for r in race.values() if r["won"])
    assert won["status"] == "optimal" and won["ended"] == "finished"
    assert f"portfolio: first of {won['backend']}" in raced.solver_version
    assert all(r["ended"] in ("finished", "stopped") for r in race.values())
    assert descendants() <= running and not set(_races_left()) - set(before)


def test_a_slow_entrant_is_stopped_with_its_processes_and_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One entrant starts a child process and writes a temporary file, then hangs: when the
    other proves its result, the hung one's process group is killed (its child too) and the
    race's temporary folder is removed."""
    real_solve = solve_module.solve
    marker = Path(tempfile.gettempdir()) / "posture-test-portfolio-child.txt"

    def hanging(instance, solver, options, formulation=None, start=None, observe=None):
        if solver == "cbc":
            with open(Path(tempfile.mkdtemp()) / "scratch", "w") as f:
                f.write("left behind?")
            child = subprocess.Popen(["sleep", "300"])
            marker.write_text(str(child.pid))
            time.sleep(300)
        time.sleep(1.0)  # let the other entrant start its child first
        return real_solve(instance, solver, options, formulation=formulation, start=start)

    monkeypatch.setattr(solve_module, "solve", hanging)
    marker.unlink(missing_ok=True)
    instance = load_instance(ROOT / "tests" / "data" / "tiny.yaml")
    formulation, _ = build_model(instance)
    before, running = _races_left(), descendants()
    began = time.perf_counter()
    raced = solve_portfolio(instance, formulation, UNBUDGETED, backends=("highs", "cbc"))
    assert time.perf_counter() - began < 60
    assert raced.status is Status.OPTIMAL
    race = {r["backend"]: r for r in raced.race}
    assert race["highs"]["won"] and race["cbc"]["ended"] == "stopped"
    assert descendants() <= running and not set(_races_left()) - set(before)
    pid = int(marker.read_text())  # the hung entrant's child is gone with it
    marker.unlink()
    if Path(f"/proc/{pid}").exists():  # at most a zombie until init reaps it
        assert Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] == "Z"
