"""The realistic instances: optimal plans, backends agreeing, and the properties that must hold.

US `none` <= `enablers_only` <= `full`; straits `closed` <= `montreux`; more units in any pool
never lower the optimum; the front is at least 600 miles; every plan verifies.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from optimizer.instance import Instance, load_instance
from optimizer.model import Solution, solve
from optimizer.results import make_report
from optimizer.solvers import Status
from tests.checking import assert_solution_verified

INSTANCES = Path(__file__).resolve().parents[1] / "instances"
VARIANTS = ["baseline", "no-us", "us-enablers-only", "straits-closed", "budget-cut", "fine-front"]


@cache
def instance(name: str) -> Instance:
    return load_instance(INSTANCES / f"{name}.yaml")


@cache
def optimum(name: str, solver: str = "highs") -> Solution:
    result = solve(instance(name), solver)
    assert result.status is Status.OPTIMAL, (name, solver, result.message)
    return result


def objective(inst: Instance) -> float:
    result = solve(inst)
    assert result.status is Status.OPTIMAL
    assert result.objective is not None
    return result.objective


def test_baseline_is_realistic_in_size() -> None:
    base = instance("baseline")
    report = make_report(optimum("baseline"))
    assert report.summary["front_miles_total"] >= 600
    kinds = [s.kind.value for s in base.sectors]
    assert kinds.count("front") >= 12 and kinds.count("air") >= 8 and kinds.count("sea") >= 6
    assert len(base.nations) >= 12 and "US" in {n.id for n in base.nations}
    assert {b.country for b in base.bases} >= {"PL", "RO"}
    inside = {s.inside_ukraine for s in base.stations if s.capability == "training"}
    assert inside == {True, False}
    # Limited forces: the front is not fully covered, so every effect below can show.
    assert 0 < report.summary["front_miles_covered"] < report.summary["front_miles_total"]


@pytest.mark.parametrize("name", VARIANTS)
@pytest.mark.parametrize("solver", ["highs", "cbc", "ortools"])
def test_backends_agree_and_plans_verify(name: str, solver: str, tmp_path: Path) -> None:
    result = optimum(name, solver)
    assert result.objective == pytest.approx(optimum(name).objective, rel=1e-6, abs=1e-6)
    assert_solution_verified(result, tmp_path)


def test_us_participation_is_monotone() -> None:
    base = instance("baseline")
    values = [
        objective(base.with_scenario(us_participation=level))
        for level in ("none", "enablers_only", "full")
    ]
    assert values[0] <= values[1] + 1e-9 <= values[2] + 2e-9
    assert values[0] < values[2]  # the US matters in the baseline
    assert optimum("no-us").objective == pytest.approx(values[0])
    assert optimum("us-enablers-only").objective == pytest.approx(values[1])


def test_closing_the_straits_never_helps() -> None:
    closed = optimum("straits-closed").objective
    assert closed <= optimum("baseline").objective + 1e-9
    assert closed == pytest.approx(objective(instance("baseline").with_scenario(straits="closed")))


def test_budget_cut_never_helps() -> None:
    assert optimum("budget-cut").objective <= optimum("baseline").objective + 1e-9


def test_more_units_never_lower_the_optimum() -> None:
    base = instance("baseline")
    reference = optimum("baseline").objective
    for i, pool in enumerate(base.pools):
        extra = max(1, round(pool.units_per_station))
        pools = list(base.pools)
        pools[i] = pool.model_copy(update={"units": pool.units + extra})
        assert objective(base.replace(pools=pools)) >= reference - 1e-7, pool.id
