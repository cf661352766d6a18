"""Worst strikes (SPEC 10 D1) and the robust posture (D2) on a 4-base instance, by brute force.

Four front sectors F0..F3 a degree apart (74 km), a base on each with room for 1 aircraft;
UK offers 4 patrols from B0, B1 or B2 (200 km reach: two sectors either way), FR 2 patrols
from B1 or B3 (100 km: the next sector), DK 1 patrol from B3. Sector weights 1, 3, 2, 1.
The brute force below solves the instance itself with each strike's capacities removed,
without the analysis code.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings

from optimizer.analysis.attack import attack
from optimizer.analysis.batch import base_of
from optimizer.analysis.interdiction import base_targets
from optimizer.analysis.robust import Keeper, robust_plan
from optimizer.model.solve import build_model, solve
from tests.builders import front, make, on, pool
from tests.strategies import PROFILE, small_instances


def four_bases():
    sectors = [front(i, weight=w) for i, w in enumerate((1.0, 3.0, 2.0, 1.0))]
    bases = [
        {
            "id": f"B{i}",
            "country": "PL",
            "lat": s["lat"],
            "lon": s["lon"],
            "capacity": {"aircraft": 1},
        }
        for i, s in enumerate(sectors)
    ]
    pools = [
        pool("UK-P", "UK", units=4, ups=1, bases=["B0", "B1", "B2"], radius_km=200.0),
        pool("FR-P", "FR", units=2, ups=1, bases=["B1", "B3"], radius_km=100.0),
        pool("DK-P", "DK", units=1, ups=1, bases=["B3"], radius_km=100.0),
    ]
    nations = [{"id": "UK"}, {"id": "FR"}, {"id": "DK"}, {"id": "US"}]
    return make(sectors, [on(s) for s in sectors], pools, bases=bases, nations=nations)


def brute_force(instance, k: int) -> float:
    worst = np.inf
    for struck in itertools.combinations([b.id for b in instance.bases], k):
        data = instance.model_dump(mode="json")
        for b in data["bases"]:
            if b["id"] in struck:
                b["capacity"] = {}
        variant = type(instance).model_validate(data)
        worst = min(worst, solve(variant).objective)
    return float(worst)


def test_four_bases_equal_brute_force() -> None:
    instance = four_bases()
    result = attack(base_of(instance), k_max=2, check_up_to=2)
    for k in (1, 2):
        rows = result.worst[result.worst["k"] == k]
        assert set(rows["method"]) == {"cutting-planes", "enumeration"}
        expected = brute_force(instance, k)
        assert rows["objective"].to_numpy() == pytest.approx([expected, expected])
        assert (rows["status"] == "optimal").all()
    assert all(a["agree"] for a in result.agreement)
    # a strike hurts: the worst single strike leaves less than the unstruck optimum
    assert result.worst["objective"].max() < result.nominal["objective"]


def test_robust_plan_keeps_at_least_the_nominal_worst() -> None:
    instance = four_bases()
    formulation, _ = build_model(instance)
    nominal = solve(instance, formulation=formulation)
    counts = np.round(nominal.x[formulation.x_slice])
    targets = base_targets(instance, formulation.data)
    keeper = Keeper(formulation, targets, nominal.options)
    for k in (1, 2):
        nominal_worst = keeper.worst(counts, k)
        robust = robust_plan(formulation, targets, k, nominal.options)
        assert robust.status == "optimal"
        assert robust.kept >= nominal_worst.kept - 1e-9
        assert robust.nominal_coverage <= nominal.objective + 1e-9
        # the worst keep of the robust plan, by brute force over every k-strike
        kept = []
        for strike in itertools.combinations(targets.ids, k):
            kept.append(keeper.keep(robust.counts, strike).kept)
        assert min(kept) == pytest.approx(robust.kept)


def test_ships_cutting_planes_equal_enumeration() -> None:
    from tests.builders import BASE, sea

    legs = [sea(i) for i in range(3)]
    stations = [
        {
            "id": f"E{i}",
            "capability": "naval_escort",
            "lat": s["lat"],
            "lon": s["lon"],
            "radius_km": 10.0,
        }
        for i, s in enumerate(legs)
    ]
    pools = [
        pool("RO-ESC", "RO", capability="naval_escort", units=3, ups=1),
        pool("FR-ESC", "FR", capability="naval_escort", units=4, ups=2),
    ]
    instance = make(legs, stations, pools, bases=[BASE])
    result = attack(base_of(instance), kind="ships", k_max=3, check_up_to=3)
    assert all(a["agree"] for a in result.agreement) and len(result.agreement) == 3


@settings(PROFILE, max_examples=25)
@given(small_instances())
def test_generated_cutting_planes_equal_enumeration(instance) -> None:
    if instance.scenario.objective.value != "max-coverage":
        return
    result = attack(base_of(instance), k_max=2, check_up_to=2)
    assert all(a["agree"] for a in result.agreement), result.worst.to_string()
