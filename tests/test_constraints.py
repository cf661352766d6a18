"""One tiny instance per constraint family C1-C11, each optimum computed by hand.

Every case shows its family binding: with the family switched off (or relaxed) the optimum
changes to a second hand-computed value. Geometry: see tests/builders.py (Rzeszów to F1 695 km,
F2 764 km, F3 833 km, F4 903 km, F5 973 km, F6 1,044 km).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from optimizer.instance import Instance
from optimizer.model import solve
from optimizer.solvers import Status
from tests.builders import air, front, make, on, pool, sea, station, switched_off

CASES: dict[str, Callable[[], Instance]] = {}


def case(func: Callable[[], Instance]) -> Callable[[], Instance]:
    CASES[func.__name__] = func
    return func


def optimum(instance: Instance, solver: str = "highs") -> float:
    result = solve(instance, solver)
    assert result.status is Status.OPTIMAL, result.message
    assert result.objective is not None
    return result.objective


# --- the cases ------------------------------------------------------------------------------


@case
def c1_availability() -> Instance:
    """3 sectors, one station on each; 12 units at 6 per station: 2 stations -> 2."""
    s = [front(i) for i in (1, 2, 3)]
    return make(s, [on(x) for x in s], [pool("UK-F", units=12, ups=6)])


@case
def c2_base_capacity() -> Instance:
    """18 units (3 stations' worth) but the base has 8 aircraft slots: 1 station -> 1."""
    s = [front(i) for i in (1, 2, 3)]
    base = {
        "id": "EPRZ",
        "country": "PL",
        "lat": 50.110,
        "lon": 22.019,
        "capacity": {"aircraft": 8},
    }
    return make(s, [on(x) for x in s], [pool("UK-F", units=18, ups=6)], bases=[base])


@case
def c3_range() -> Instance:
    """Radius 800 km reaches F1 (695) and F2 (764), not F3 (833) nor F4 (903): 2."""
    s = [front(i) for i in (1, 2, 3, 4)]
    return make(s, [on(x) for x in s], [pool("UK-F", units=24, ups=6, radius_km=800)])


@case
def c4_tanker() -> Instance:
    """Radius 800, 1,000 with AAR: F1, F2 direct, F3-F5 need a tanker; one tanker station
    (a US KC-135 pool, usable at `full`) supports 1 station: 2 + 1 = 3 of 5."""
    s = [front(i) for i in (1, 2, 3, 4, 5)]
    tanker_post = station("T1", "tanker", 49.0, 26.0)
    return make(
        s,
        [on(x) for x in s] + [tanker_post],
        [
            pool("UK-F", units=30, ups=6, radius_km=800, extended_radius_km=1000),
            pool("US-KC", nation="US", capability="tanker", units=2, ups=2, supports_stations=1),
        ],
    )


@case
def c5_capability_coverage() -> Instance:
    """Requirement 2 on F1, effectiveness 0.5, room for 3 stations at the post:
    3 x 0.5 / 2 = 0.75 (partial coverage)."""
    f1 = front(1, air_patrol=2)
    return make([f1], [on(f1, max_stations=3)], [pool("UK-F", units=30, ups=6, effectiveness=0.5)])


@case
def c6_joint_requirement() -> Instance:
    """A1 needs fighters and AEW; only fighters are offered: 0 (with C6 off, the mean: 0.5)."""
    a1 = air(1, air_patrol=1, aew=1)
    return make([a1], [on(a1), on(a1, "aew", suffix="E")], [pool("UK-F", units=6)])


@case
def c7_us_backstop() -> Instance:
    """US fighters need `full`; at `enablers_only` only the UK station counts: 1 of 2."""
    s = [front(1), front(2)]
    return make(
        s,
        [on(x) for x in s],
        [pool("UK-F", units=6), pool("US-F", nation="US", units=6)],
        scenario={"us_participation": "enablers_only"},
    )


@case
def c8_us_share() -> Instance:
    """UK 6 units, US 12 units, 6 per station, 3 sectors; US at most half of all units:
    UK 1 station + US 1 station -> 2 (without C8: 3)."""
    s = [front(i) for i in (1, 2, 3)]
    return make(
        s,
        [on(x) for x in s],
        [pool("UK-F", units=6), pool("US-F", nation="US", units=12)],
        scenario={"us_share_max": 0.5},
    )


@case
def c9_politics() -> Instance:
    """Three sectors, each needing one station:
    - F1 needs training; only DE offers a team, DE refuses presence, the site is in Ukraine;
    - F2's station is 5 km from the line (ROE distance 50 km); only FR fighters, no robust ROE;
    - F3's station is in Ukraine; FR fighters accept presence: covered.
    Optimum 1 (F3). Without C9: 3."""
    f1, f2, f3 = front(1, training=1), front(2), front(3)
    return make(
        [f1, f2, f3],
        [
            on(f1, "training", inside_ukraine=True),
            on(f2, front_distance_km=5),
            on(f3, inside_ukraine=True, front_distance_km=80),
        ],
        [
            pool("DE-T", nation="DE", capability="training", units=1, ups=1),
            pool("FR-F", nation="FR", units=12),
        ],
        scenario={"roe_distance_km": 50},
    )


@case
def c9_escalation() -> Instance:
    """Three stations of risk 1 each, escalation budget 2: 2 of 3 (without C9: 3)."""
    s = [front(i) for i in (1, 2, 3)]
    return make(
        s,
        [on(x, escalation_risk=1) for x in s],
        [pool("UK-F", units=18)],
        scenario={"escalation_budget": 2},
    )


@case
def c10_montreux() -> Instance:
    """Four lane legs; UK and FR frigates (non-littoral), 2 ships x 5,000 t per station =
    10,000 t. Per nation <= 30,000 t: 3 stations each; aggregate <= 45,000 t: 4 in all.
    RO (littoral) has none. Optimum 4 legs of 6 (without C10: 6)."""
    legs = [sea(i) for i in range(1, 7)]
    posts = [on(x, "naval_escort", in_black_sea=True) for x in legs]
    frigates = {"capability": "naval_escort", "units": 6, "ups": 2, "ship_tonnage_t": 5000}
    return make(legs, posts, [pool("UK-N", **frigates), pool("FR-N", nation="FR", **frigates)])


@case
def c11_budget() -> Instance:
    """Stations cost 10 each, budget 25: 2 of 3 (without C11: 3)."""
    s = [front(i) for i in (1, 2, 3)]
    return make(
        s,
        [on(x) for x in s],
        [pool("UK-F", units=18, cost_per_station=10)],
        scenario={"budget": 25},
    )


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "family", "with_it", "without_it"),
    [
        ("c1_availability", "C1", 2, 3),
        ("c2_base_capacity", "C2", 1, 3),
        ("c3_range", "C3", 2, 4),
        ("c4_tanker", "C4", 3, 5),
        ("c6_joint_requirement", "C6", 0, 0.5),
        ("c7_us_backstop", "C7", 1, 2),
        ("c8_us_share", "C8", 2, 3),
        ("c9_politics", "C9", 1, 3),
        ("c9_escalation", "C9", 2, 3),
        ("c10_montreux", "C10", 4, 6),
        ("c11_budget", "C11", 2, 3),
    ],
)
def test_family_binds(name: str, family: str, with_it: float, without_it: float) -> None:
    instance = CASES[name]()
    assert optimum(instance) == pytest.approx(with_it, abs=1e-6)
    assert optimum(switched_off(instance, family)) == pytest.approx(without_it, abs=1e-6)


def test_c5_partial_coverage_is_effective_stations_over_requirement() -> None:
    instance = CASES["c5_capability_coverage"]()
    assert optimum(instance) == pytest.approx(0.75)
    # Halving the requirement to 1 makes 3 x 0.5 = 1.5 >= 1: fully covered.
    richer = instance.replace(
        sectors=[
            s.model_copy(update={"requirements": {"air_patrol": 1.0}}) for s in instance.sectors
        ]
    )
    assert optimum(richer) == pytest.approx(1.0)


def test_c7_full_participation_admits_us_fighters() -> None:
    instance = CASES["c7_us_backstop"]().with_scenario(us_participation="full")
    assert optimum(instance) == pytest.approx(2)


def test_c7_backstop_nation_needs_full() -> None:
    """A nation that requires a US backstop contributes only at `full`."""
    base = CASES["c1_availability"]()
    nations = [n.model_copy(update={"requires_us_backstop": n.id == "UK"}) for n in base.nations]
    instance = base.replace(nations=nations)
    assert optimum(instance.with_scenario(us_participation="full")) == pytest.approx(2)
    assert optimum(instance.with_scenario(us_participation="enablers_only")) == 0


def test_c4_us_tanker_needs_us_participation() -> None:
    """The tanker pool is American: at `none` the far sectors lose their tanker: 2."""
    instance = CASES["c4_tanker"]().with_scenario(us_participation="none")
    assert optimum(instance) == pytest.approx(2)


def test_c10_closed_straits_bar_non_littoral_ships() -> None:
    instance = CASES["c10_montreux"]()
    assert optimum(instance.with_scenario(straits="closed")) == 0
    # A littoral navy is not barred: give RO the UK's frigates.
    ro = instance.replace(
        pools=[
            p.model_copy(update={"nation": "RO"}) if p.id == "UK-N" else p for p in instance.pools
        ]
    )
    assert optimum(ro.with_scenario(straits="closed")) == pytest.approx(3)


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("solver", ["cbc", "ortools"])
def test_backends_agree_on_every_case(name: str, solver: str) -> None:
    instance = CASES[name]()
    assert optimum(instance, solver) == pytest.approx(
        optimum(instance, "highs"), rel=1e-6, abs=1e-6
    )
