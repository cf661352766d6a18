"""Operational fidelity (SPEC 8): time on station (F1), stand-off (F3), US share basis (F4).

Hand-computed cases. Geometry: the base is Rzeszów (50.110 N, 22.019 E); stations placed due
south of it at a chosen great-circle distance (1 degree of latitude = 111.195 km).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from optimizer.cli import main
from optimizer.instance import Instance
from optimizer.instance.geometry import EARTH_RADIUS_KM
from optimizer.model import solve
from optimizer.model.data import compile_instance
from optimizer.solvers import Status
from tests.builders import BASE, front, make, pool, station
from tests.checking import assert_verified, solve_verified

KM_PER_DEG = np.pi / 180 * EARTH_RADIUS_KM

# endurance 3 h, 600 km/h, a pair, 50 % available, 4 flying hours a day, floor 0.5 h
SORTIE = {
    "endurance_h": 3.0,
    "cruise_kmh": 600.0,
    "aircraft_per_orbit": 2,
    "availability": 0.5,
    "flying_hours_per_day": 4.0,
    "cost_per_flying_hour": 0.01,
    "min_time_on_station_h": 0.5,
}


def south(km: float) -> float:
    """Latitude of the point ``km`` due south of the base."""
    return BASE["lat"] - km / KM_PER_DEG


def sortie_pool(units: int = 100, sortie: dict | None = None, **extra) -> dict:
    p = pool("UK-F", units=units, ups=1, **extra)
    del p["units_per_station"]
    p["sortie"] = {**SORTIE, **(sortie or {})}
    return p


def one_station(km: float, pools: list[dict], **scenario) -> Instance:
    lat = south(km)
    sector = {**front(1), "lat": lat, "lon": BASE["lon"]}
    return make(
        [sector],
        [station("CAP", "air_patrol", lat, BASE["lon"])],
        pools,
        scenario={"cost_period_days": 30, **scenario},
    )


@pytest.mark.parametrize(
    ("km", "units", "tos", "cost"),
    [
        # transit 0.25 h; TOS 3 - 0.5 = 2.5 h; 48 / 2.5 = 19.2 sorties; 57.6 h; / (4 x 0.5)
        (150.0, 28.8, 2.5, 57.6 * 0.01 * 30),
        # transit 0.5 h; TOS 2.0 h; 24 sorties; 72 h; / 2
        (300.0, 36.0, 2.0, 72.0 * 0.01 * 30),
    ],
)
def test_units_per_station_from_the_formula(km: float, units: float, tos: float, cost: float):
    data = compile_instance(one_station(km, [sortie_pool()]))
    assert data.n_triples == 1
    assert data.t_dist_km[0] == pytest.approx(km, abs=1e-6)
    assert data.t_units[0] == pytest.approx(units)
    assert data.t_tos_h[0] == pytest.approx(tos)
    assert data.t_cost[0] == pytest.approx(cost)


def test_time_on_station_floor_makes_a_far_station_inadmissible():
    # reach = 600 x (3 - 0.5) / 2 = 750 km
    assert compile_instance(one_station(740.0, [sortie_pool(1000)])).n_triples == 1
    assert compile_instance(one_station(760.0, [sortie_pool(1000)])).n_triples == 0


def test_pool_too_small_for_one_far_station():
    # 29 aircraft: enough at 150 km (28.8), not at 300 km (36)
    assert optimum(one_station(150.0, [sortie_pool(units=29)])) == pytest.approx(1.0)
    assert optimum(one_station(300.0, [sortie_pool(units=29)])) == pytest.approx(0.0)


def test_fixed_units_per_station_keeps_todays_behaviour():
    fixed = pool("UK-F", units=12, ups=6, cost_per_station=5)
    data = compile_instance(one_station(300.0, [fixed]))
    assert data.t_units.tolist() == [6.0]
    assert data.t_cost.tolist() == [5.0]
    assert np.isnan(data.t_tos_h).all()


@pytest.mark.parametrize("refuelled", [None, 6.0])
def test_moving_the_base_farther_never_lowers_the_units_a_station_costs(refuelled):
    sortie = dict(SORTIE, refuelled_endurance_h=refuelled)
    tanker = pool("US-KC", nation="US", capability="tanker", units=4, ups=1, supports_stations=1)
    tanker_post = station("TKR", "tanker", 49.0, 22.0)
    previous = 0.0
    for km in np.linspace(50.0, 1600.0, 32):
        receiver = sortie_pool()
        receiver["sortie"] = sortie
        inst = one_station(float(km), [receiver, tanker])
        inst = inst.replace(stations=[*inst.model_dump()["stations"], tanker_post])
        data = compile_instance(inst)
        mine = data.t_units[data.t_pool == 0]
        if len(mine) == 0:  # beyond every reach: the station cannot be kept at all
            previous = np.inf
            continue
        cheapest = float(mine.min())
        assert cheapest >= previous - 1e-9, (km, cheapest, previous)
        previous = cheapest


def test_refuelled_twin_inside_reach_needs_tanker_support(tmp_path: Path):
    """Inside the unrefuelled reach a refuelled sortie is a choice: 6 h sorties at 300 km give
    TOS 5 h, 48 / 5 = 9.6 sorties, 57.6 h, 28.8 aircraft (unrefuelled: 36)."""
    receiver = sortie_pool(units=40, sortie={"refuelled_endurance_h": 6.0})
    data = compile_instance(one_station(300.0, [receiver]))
    assert sorted(data.t_units.tolist()) == pytest.approx([28.8, 36.0])
    assert sorted(data.t_tanker.tolist()) == [False, True]
    receiver = sortie_pool(units=30, sortie={"refuelled_endurance_h": 6.0})
    inst = one_station(300.0, [receiver])
    # 30 aircraft: only the refuelled twin fits, and there is no tanker: nothing placed
    assert optimum(inst) == pytest.approx(0.0)
    tanker = pool("US-KC", nation="US", capability="tanker", units=4, ups=1, supports_stations=1)
    with_tanker = inst.replace(
        pools=[*inst.model_dump()["pools"], tanker],
        stations=[*inst.model_dump()["stations"], station("TKR", "tanker", 49.0, 22.0)],
    )
    run = solve_verified(with_tanker, tmp_path)
    assert run.solution.objective == pytest.approx(1.0)
    plan = (run.run_dir / "plan.csv").read_text()
    assert "28.8" in plan and "True" in plan


def test_ships_montreux_stay():
    """A non-littoral frigate at a Black Sea station 300 nm from the Bosporus at 15 kn: transit
    300 / 15 / 24 = 0.8333 d each way; a 21-day stay leaves 19.333 d on station; with 9 days
    out of the Black Sea between visits and 80 % availability, (21 + 9) / 19.333 / 0.8 = 1.9397
    ships per station. A littoral one from a port 100 nm away with a 30-day stay: 30 - 0.5556
    = 29.444 d, (30 + 9) / 29.444 / 0.8 = 1.6557."""
    entry = (41.23, 29.12)
    lat = entry[0] + 300 * 1.852 / KM_PER_DEG
    voyage = {"speed_kn": 15, "stay_days": 30, "port_days": 9, "availability": 0.8}
    port = {**BASE, "id": "PORT", "lat": lat - 100 * 1.852 / KM_PER_DEG, "lon": entry[1]}
    sector = {
        "id": "L1",
        "kind": "sea",
        "lat": lat,
        "lon": entry[1],
        "length_nm": 50,
        "requirements": {"naval_escort": 1},
    }
    pools = []
    for pid, nation in (("UK-FF", "UK"), ("RO-FF", "RO")):
        p = pool(pid, nation=nation, capability="naval_escort", units=4, ups=1, bases=["PORT"])
        del p["units_per_station"]
        pools.append({**p, "voyage": voyage})
    inst = make(
        [sector],
        [station("BOX", "naval_escort", lat, entry[1], in_black_sea=True)],
        pools,
        bases=[port],
    )
    data = compile_instance(inst)
    assert data.t_units[data.t_pool == 0][0] == pytest.approx(30 / (21 - 2 * 300 / 15 / 24) / 0.8)
    assert data.t_units[data.t_pool == 1][0] == pytest.approx(39 / (30 - 2 * 100 / 15 / 24) / 0.8)


# --- F3 stand-off ---------------------------------------------------------------------------


def aew_case(standoff: float | None) -> Instance:
    """An AEW orbit 150 km behind the line (front at 48 N 30 E) and one 300 km behind."""
    sector = {**front(0), "requirements": {"aew": 1}}
    near = station("AEW-NEAR", "aew", 48.0 + 150 / KM_PER_DEG, 30.0, radius_km=400)
    far = station("AEW-FAR", "aew", 48.0 + 300 / KM_PER_DEG, 30.0, radius_km=400, cost=1)
    aew = pool("NATO-E3", nation="UK", capability="aew", units=2, ups=1, cost_per_station=1)
    scenario = {} if standoff is None else {"standoff_km": {"aew": standoff}}
    return make([sector], [near, far], [aew], scenario=scenario)


def test_aew_orbit_inside_the_standoff_is_refused(tmp_path: Path):
    data = compile_instance(aew_case(200.0))
    assert [aew_case(200.0).stations[s].id for s in data.t_station] == ["AEW-FAR"]
    run = solve_verified(aew_case(200.0), tmp_path)
    assert run.solution.objective == pytest.approx(1.0)
    # without a stand-off the nearer (cheaper) orbit is taken
    free = compile_instance(aew_case(None))
    assert len(free.t_station) == 2


def test_verify_flags_an_orbit_inside_the_standoff(tmp_path: Path):
    run = solve_verified(aew_case(None), tmp_path)
    plan = (run.run_dir / "plan.csv").read_text()
    assert "AEW-NEAR" in plan
    report = __import__("optimizer.check", fromlist=["verify_run"]).verify_run(
        aew_case(200.0), run.run_dir
    )
    assert "F3" in report.families()


def test_standoff_from_hostile_territory():
    """A hostile border line 100 km north of the far orbit: 100 < 200 refuses it too."""
    inst = aew_case(200.0)
    border_lat = 48.0 + 400 / KM_PER_DEG
    inst = inst.replace(
        hostile=[{"id": "RU", "points": [[border_lat, 29.95], [border_lat, 30.05]]}]
    )
    data = compile_instance(inst)
    assert data.s_hostile_km[1] == pytest.approx(100.0, abs=0.5)
    assert data.n_triples == 0


def test_escalation_risk_grows_near_the_line():
    inst = aew_case(None).with_scenario(escalation_range_km={"aew": 300.0})
    data = compile_instance(inst)
    assert data.s_risk.tolist() == pytest.approx([0.5, 0.0])


def test_plan_csv_states_each_rows_escalation_risk(tmp_path: Path):
    """The nearer orbit (150 km of a 300 km range: risk 0.5 per station) is the cheaper one and
    is placed; plan.csv says 0.5. The checker recomputes it: a plan.csv that says 0.1 is a
    record that lies (flagged), while the C9 budget is checked on the recomputed risk."""
    import pandas as pd

    from optimizer.check import verify_run

    inst = aew_case(None).with_scenario(escalation_range_km={"aew": 300.0})
    run = solve_verified(inst, tmp_path)
    plan = pd.read_csv(run.run_dir / "plan.csv")
    assert list(plan["station"]) == ["AEW-NEAR"]
    assert plan["escalation_risk"].tolist() == pytest.approx([0.5])
    plan.assign(escalation_risk=[0.1]).to_csv(run.run_dir / "plan.csv", index=False)
    report = verify_run(inst, run.run_dir)
    assert report.families() == {"plan"}
    assert any("escalation_risk 0.1 (recomputed 0.5)" in v.message for v in report.violations)


# --- F4 US share basis ----------------------------------------------------------------------


def share_case(basis: str) -> Instance:
    """Two sectors; a US pool of 1-unit stations and a UK pool of 3-unit stations, one of
    each needed. US share <= 0.5: by units, 1 of 1 + 3 = 0.25 fits; by stations 1 of 2 fits;
    by cost (US 9, UK 1) 0.9 does not: only the UK station -> 1."""
    s = [front(1), front(2)]
    posts = [station("S1", "air_patrol", 48.0, 31.0), station("S2", "air_patrol", 48.0, 32.0)]
    us = pool("US-F", nation="US", units=1, ups=1, cost_per_station=9, bases=["EPRZ"])
    uk = pool("UK-F", nation="UK", units=3, ups=3, cost_per_station=1, bases=["EPRZ"])
    return make(s, posts, [us, uk], scenario={"us_share_max": 0.5, "us_share_basis": basis})


@pytest.mark.parametrize(
    ("basis", "expected"), [("units", 2.0), ("stations", 2.0), ("cost", 1.0), ("capability", 2.0)]
)
def test_us_share_basis(basis: str, expected: float, tmp_path: Path):
    run = solve_verified(share_case(basis), tmp_path)
    assert run.solution.objective == pytest.approx(expected)


# --- bad input --------------------------------------------------------------------------------


def write(tmp_path: Path, inst: dict) -> Path:
    import yaml

    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(inst))
    return path


def as_dict(inst: Instance) -> dict:
    return inst.model_dump(mode="json", exclude_defaults=True)


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda d: d["pools"][0]["sortie"].update(availability=0), "pools.0.sortie.availability"),
        (lambda d: d["pools"][0]["sortie"].update(availability=1.2), "pools.0.sortie.availability"),
        (lambda d: d["pools"][0].update(radius_km=900), "pools.0"),
        (lambda d: d["scenario"].update(standoff_km={"aew": 50000}), "scenario.standoff_km.aew"),
    ],
)
def test_impossible_parameters_exit_2(tmp_path: Path, edit, field: str):
    data = as_dict(one_station(150.0, [sortie_pool()]))
    edit(data)
    path = write(tmp_path, data)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert "bad.yaml" in result.output and field in result.output, result.output


def optimum(instance: Instance) -> float:
    result = solve(instance)
    assert result.status is Status.OPTIMAL
    assert result.objective is not None
    return result.objective


def test_verified_f1_plan(tmp_path: Path):
    run = solve_verified(one_station(300.0, [sortie_pool()]), tmp_path)
    assert_verified(None, run.run_dir)


# --- F2 tanker support at a place -----------------------------------------------------------


def tanker_case(
    offload: float = 60.0,
    support_radius: float = 300.0,
    systems: tuple[str, ...] = ("boom",),
    us_boom: bool = False,
    us_level: str = "full",
) -> Instance:
    """Two CAP stations ~400 km south of the base, beyond the receivers' unrefuelled reach
    (600 x (1.5 - 0.5) / 2 = 300 km). Refuelled (6 h sorties): TOS = 6 - 2 x 400 / 600 =
    4.667 h, 48 / 4.667 = 10.286 sorties a day, 5 t each = 51.43 t/day per station. One
    tanker orbit ~110 km away."""
    lat = south(400.0)
    sectors = [
        {**front(1), "lat": lat, "lon": 22.019},
        {**front(2), "lat": lat, "lon": 22.5},
    ]
    posts = [
        station("CAP1", "air_patrol", lat, 22.019),
        station("CAP2", "air_patrol", lat, 22.5),
        station("TKR", "tanker", 47.5, 22.3, max_stations=2),
    ]
    receiver = sortie_pool(
        units=100,
        sortie={"endurance_h": 1.5, "refuelled_endurance_h": 6.0, "aar_fuel_t": 5.0},
        receptacle="boom",
    )
    tanker = pool("FR-MRTT", nation="FR", capability="tanker", units=1, ups=1)
    tanker.update(refuelling=list(systems), offload_t_per_day=offload)
    tanker["support_radius_km"] = support_radius
    pools = [receiver, tanker]
    if us_boom:
        us = pool("US-KC", nation="US", capability="tanker", units=1, ups=1)
        us.update(refuelling=["boom"], offload_t_per_day=offload, support_radius_km=support_radius)
        pools.append(us)
    return make(sectors, posts, pools, scenario={"us_participation": us_level})


def test_far_station_refuelled_by_an_orbit_in_reach(tmp_path: Path):
    data = compile_instance(tanker_case())
    cap = data.t_pool == 0
    assert data.t_tanker[cap].all()
    assert data.t_fuel[cap][0] == pytest.approx(48 / (6 - 800 / 600) * 5, rel=1e-3)
    # 60 t/day: one station's demand (51.4), not two: the offload binds
    run = solve_verified(tanker_case(), tmp_path)
    assert run.solution.objective == pytest.approx(1.0)
    plan = (run.run_dir / "plan.csv").read_text()
    assert ",TKR," in plan or ",TKR\n" in plan or "TKR" in plan.split("\n")[1]
    # 110 t/day covers both
    assert optimum(tanker_case(offload=110.0)) == pytest.approx(2.0)


def test_no_support_from_an_orbit_out_of_support_radius():
    assert optimum(tanker_case(support_radius=50.0)) == pytest.approx(0.0)


def test_no_support_from_a_tanker_of_the_wrong_receptacle_type():
    """The only usable tanker offers a drogue; the boom tanker is American and the US stays
    out: the boom receivers get no fuel."""
    inst = tanker_case(systems=("drogue",), us_boom=True, us_level="none")
    assert optimum(inst) == pytest.approx(0.0)
    assert optimum(tanker_case(systems=("drogue",), us_boom=True)) == pytest.approx(1.0)


def test_removing_the_us_tanker_pool_never_raises_the_optimum():
    for offload in (30.0, 60.0, 110.0):
        for systems in (("boom",), ("drogue",)):
            both = optimum(tanker_case(offload, systems=systems, us_boom=True))
            inst = tanker_case(offload, systems=systems, us_boom=True)
            pools = inst.model_dump()["pools"]
            pools[-1]["units"] = 0  # withdrawn (removing it would leave boom receivers unserved)
            without = inst.replace(pools=pools)
            assert optimum(without) <= both + 1e-9


def test_verify_finds_fuel_short(tmp_path: Path):
    run = solve_verified(tanker_case(offload=110.0), tmp_path)
    from optimizer.check import verify_run

    report = verify_run(tanker_case(offload=60.0), run.run_dir)
    assert "F2" in report.families(), report.text()


def test_receptacle_no_tanker_serves_is_exit_2(tmp_path: Path):
    data = as_dict(tanker_case())
    data["pools"][1]["refuelling"] = ["drogue"]
    path = write(tmp_path, data)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "pools.0.receptacle" in result.output and "boom" in result.output, result.output


# --- F5 training that produces trainees -----------------------------------------------------


def training_case(units: int, abroad: bool = False) -> Instance:
    """F1 needs 2 brigades a year of 3,000 = 500 trainees a month; a team (2 units) turns out
    200 a month. Abroad, one site covers F1 and F2 (each needing 250 a month) and shares its
    300 a month equally: 150 each."""
    if abroad:
        sectors = [
            {**front(1), "requirements": {"training": 1}, "trainees_per_month": 250},
            {**front(2), "requirements": {"training": 1}, "trainees_per_month": 250},
        ]
        site = station("ABROAD", "training", 51.0, 14.0, covers=["F1", "F2"], max_stations=1)
        team = pool("UK-TRN", capability="training", units=units, ups=2, trainees_per_month=300)
        return make(sectors, [site], [team])
    sectors = [{**front(1), "requirements": {"training": 1}, "brigades_per_year": 2}]
    hub = station("HUB", "training", 48.0, 31.0, max_stations=3)
    team = pool("UK-TRN", capability="training", units=units, ups=2, trainees_per_month=200)
    return make(sectors, [hub], [team])


@pytest.mark.parametrize(("units", "coverage"), [(6, 1.0), (4, 0.8), (2, 0.4)])
def test_training_need_met_in_trainees(units: int, coverage: float, tmp_path: Path):
    run = solve_verified(training_case(units), tmp_path)
    assert run.solution.objective == pytest.approx(coverage)
    summary = run.report.summary
    assert summary["training_need_per_year"] == pytest.approx(6000)
    assert summary["training_trainees_per_year"] == pytest.approx(12 * min(500, units * 100))
    assert summary["training_brigades_per_year"] == pytest.approx(min(500, units * 100) / 250)


def test_training_abroad_shares_its_output(tmp_path: Path):
    run = solve_verified(training_case(2, abroad=True), tmp_path)
    assert run.solution.objective == pytest.approx(2 * 150 / 250)


def test_training_need_without_pool_output_is_exit_2(tmp_path: Path):
    data = as_dict(training_case(6))
    del data["pools"][0]["trainees_per_month"]
    result = CliRunner().invoke(main, ["validate", str(write(tmp_path, data))])
    assert result.exit_code == 2
    assert "pools.0.trainees_per_month" in result.output, result.output


# --- instances without the new fields -----------------------------------------------------


@pytest.mark.parametrize("name", ["tiny.yaml", "sens_small.yaml"])
def test_instance_without_new_fields_builds_the_same_model(name: str):
    """No sortie, voyage, receptacle, stand-off or training need: every triple keeps the pool's
    fixed units and cost, no twin triples, no fuel flows, risks as given."""
    from optimizer.instance import load_instance
    from optimizer.model.formulation import build

    inst = load_instance(Path(__file__).parent / "data" / name)
    data = compile_instance(inst)
    assert np.array_equal(data.t_units, data.p_ups[data.t_pool])
    assert np.array_equal(data.t_cost, data.p_cost[data.t_pool] + data.s_cost[data.t_station])
    assert not data.r_trainees.any()
    assert data.s_risk.tolist() == [s.escalation_risk for s in inst.stations]
    keys = list(
        zip(data.t_pool.tolist(), data.t_base.tolist(), data.t_station.tolist(), strict=True)
    )
    assert len(keys) == len(set(keys))  # no refuelled twins
    f = build(data)
    assert f.n_f == 0
    assert f.matrix.shape[1] == f.n_x + f.n_y + f.n_z + int(f.has_m)
