"""Properties of the optimum over generated small instances (hypothesis, fixed profile).

Every plan is checked by the independent recomputation in tests/recompute.py (C1-C11 from the
instance, coverage, the objective). ``derandomize=True``: the same examples on every run.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.model import solve
from optimizer.model.solve import build_model
from optimizer.solvers import SolverOptions, Status, get_backend
from tests.recompute import checked_objective, coverage_of, plan_rows
from tests.strategies import PROFILE, small_instances

EXAMPLES = 40
FIXED = settings(PROFILE, max_examples=EXAMPLES)
RUNS: dict[str, int] = {}  # property -> instances generated (printed with -s)
OPTIONS = SolverOptions(gap=0.0)


def optimum(instance, solver: str = "highs") -> float:
    solution = solve(instance, solver, OPTIONS)
    assert solution.status is Status.OPTIMAL, (solver, solution.status, solution.message)
    return checked_objective(solution)


def at_least(a: float, b: float) -> bool:
    """a >= b up to solver tolerance."""
    return a >= b - 1e-6 * max(1.0, abs(b))


def count(name: str) -> None:
    RUNS[name] = RUNS.get(name, 0) + 1


@FIXED
@given(small_instances(), st.data())
def test_more_units_never_lower_the_optimum(instance, data) -> None:
    count("more_units")
    i = data.draw(st.integers(0, len(instance.pools) - 1))
    extra = data.draw(st.integers(1, 6))
    pools = [p.model_dump() for p in instance.pools]
    pools[i]["units"] += extra
    assert at_least(optimum(instance.replace(pools=pools)), optimum(instance))


@FIXED
@given(small_instances())
def test_removing_the_us_never_raises_it(instance) -> None:
    count("no_us")
    assert at_least(optimum(instance), optimum(instance.with_scenario(us_participation="none")))


@FIXED
@given(small_instances())
def test_closing_the_straits_never_raises_it(instance) -> None:
    count("straits")
    closed = instance.with_scenario(straits="closed")
    assert at_least(optimum(instance.with_scenario(straits="montreux")), optimum(closed))


@FIXED
@given(small_instances())
def test_lp_relaxation_bounds_the_optimum(instance) -> None:
    count("lp_bound")
    formulation, _ = build_model(instance)
    phase = formulation.phases[0]
    lp = replace(formulation.matrix.with_objective(phase.c), integer=np.zeros(len(phase.c), bool))
    outcome = get_backend("highs").solve(lp, OPTIONS)
    assert outcome.status is Status.OPTIMAL and outcome.objective is not None
    assert at_least(-outcome.objective, optimum(instance))  # maximisation: -min


@FIXED
@given(small_instances(objective="max-min"))
def test_max_min_is_the_worst_front_of_its_plan(instance) -> None:
    count("max_min")
    o3 = solve(instance, "highs", OPTIONS)
    assert o3.status is Status.OPTIMAL
    worst = checked_objective(o3)
    assert o3.phases[0]["objective"] is not None
    assert math.isclose(float(o3.phases[0]["objective"]), worst, abs_tol=1e-6)
    o1 = solve(instance.with_scenario(objective="max-coverage"), "highs", OPTIONS)
    assert o1.status is Status.OPTIMAL
    checked_objective(o1)
    assert at_least(worst, coverage_of(o1.instance, plan_rows(o1))["min_front"])


@FIXED
@given(small_instances(), st.sampled_from(["max-coverage", "min-cost", "max-min"]))
def test_backends_agree_on_the_optimum(instance, objective) -> None:
    count("backends")
    instance = instance.with_scenario(objective=objective, tie_break=False)
    if objective == "min-cost":  # targets the max-coverage plan reaches: feasible
        o1 = solve(instance.with_scenario(objective="max-coverage"), "highs", OPTIONS)
        reach = coverage_of(instance, plan_rows(o1))
        targets: dict[str, float] = {}
        for s in instance.sectors:
            low = math.floor(reach[s.id] * 100) / 100
            targets[s.kind.value] = min(targets.get(s.kind.value, 1.0), low)
        instance = instance.with_scenario(targets=targets)
    values = {}
    for solver in ("highs", "cbc", "ortools"):
        result = solve(instance, solver, OPTIONS)
        assert result.status is Status.OPTIMAL, (solver, result.status, result.message)
        values[solver] = checked_objective(result)
    ref = values["highs"]
    for value in values.values():
        assert math.isclose(value, ref, rel_tol=1e-6, abs_tol=1e-6), values


PROPERTIES = ("more_units", "no_us", "straits", "lp_bound", "max_min", "backends")


def test_every_property_was_checked_on_all_its_examples() -> None:
    """RUNS counts the instances each property above was checked on (pytest runs this last).

    A property whose strategy produced fewer instances than asked (or none) would pass while
    checking little; this makes it fail.
    """
    if not RUNS:
        pytest.skip("run together with the property tests above")
    assert set(RUNS) <= set(PROPERTIES)
    assert {name: RUNS[name] for name in RUNS} == dict.fromkeys(RUNS, EXAMPLES)
    if len(RUNS) > 1:  # the whole module ran: every property, not just some
        assert set(RUNS) == set(PROPERTIES)
