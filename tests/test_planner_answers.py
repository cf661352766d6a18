"""Planner answers (SPEC 9): shipping end to end (A2), objective by kind (A3), on hand-checked
instances."""

from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from optimizer.instance import Instance
from optimizer.model import solve
from optimizer.results import make_report
from optimizer.solvers import Status
from tests.builders import air, front, make, on, pool, sea


def escorted_lanes(routes: list[dict] | None = None) -> Instance:
    """Legs L1, L2, L3 need one escort each; only L2 and L3 have an escort station, and the
    pool has two stations' worth. Routes: R-LONG sails L1-L2-L3 (100 a month), R-SHORT L2-L3
    (50 a month).
    End to end: R-LONG 0 (its first leg is unescorted), R-SHORT 1, overall 50 / 150 = 1/3.
    Leg by leg (weighted by nm, all 50 nm): 2 of 3 legs = 2/3."""
    legs = [sea(1), sea(2), sea(3)]
    instance = make(
        legs,
        [on(legs[1], "naval_escort"), on(legs[2], "naval_escort")],
        [pool("RO-FRIG", nation="RO", capability="naval_escort", units=4, ups=2)],
    )
    return instance.replace(
        routes=routes
        if routes is not None
        else [
            {"id": "R-LONG", "legs": ["L1", "L2", "L3"], "monthly_transits": 100, "source": "t"},
            {"id": "R-SHORT", "legs": ["L2", "L3"], "monthly_transits": 50, "source": "t"},
        ]
    )


def test_a_route_whose_first_leg_is_unescorted_protects_nothing_end_to_end() -> None:
    solution = solve(escorted_lanes())
    assert solution.status is Status.OPTIMAL
    summary = make_report(solution).summary
    routes = {r["route"]: r for r in summary["shipping_routes"]}
    assert routes["R-LONG"]["protected_share"] == pytest.approx(0.0)
    assert routes["R-LONG"]["weakest_leg"] == "L1"
    assert routes["R-SHORT"]["protected_share"] == pytest.approx(1.0)
    assert summary["shipping_protected_end_to_end"] == pytest.approx(50 / 150)
    assert summary["shipping_protected_per_leg"] == pytest.approx(2 / 3)


def test_route_legs_must_be_sea_sectors() -> None:
    bad = [{"id": "R", "legs": ["L1", "F9"], "monthly_transits": 1, "source": "t"}]
    with pytest.raises(ValidationError, match=r"routes\.0\.legs\.1"):
        escorted_lanes(bad)
    with pytest.raises(ValidationError, match="source"):
        escorted_lanes([{"id": "R", "legs": ["L1"], "monthly_transits": 1}])


def test_objective_by_kind_adds_up_to_the_objective() -> None:
    """F1 (weight 3, one CAP) covered: 3 points; A3 (weight 2) needs two CAPs and gets one:
    1 point; L5 (weight 1) escorted: 1 point. Objective 5 = 3 + 1 + 1."""
    f1, a3, l5 = front(1, weight=3), air(3, weight=2, air_patrol=2), sea(5)
    instance = make(
        [f1, a3, l5],
        [on(f1), on(a3), on(l5, "naval_escort")],
        [
            pool("UK-F", units=12, ups=6),
            pool("RO-FRIG", nation="RO", capability="naval_escort", units=2, ups=2),
        ],
    )
    solution = solve(instance)
    summary = make_report(solution).summary
    parts = summary["objective_by_kind"]
    assert parts == pytest.approx({"front": 3.0, "air": 1.0, "sea": 1.0})
    assert sum(parts.values()) == pytest.approx(solution.objective)
    assert summary["points_possible_by_kind"] == pytest.approx({"front": 3, "air": 2, "sea": 1})
    assert summary["objective_share_by_kind"]["front"] == pytest.approx(3 / 5)


def test_baseline_routes_end_to_end() -> None:
    """The shipped baseline: legs 1-2 (Odesa approaches) stay unescorted, so the Odesa route
    protects nothing end to end and only the Danube traffic (60 of 280 a month) is protected."""
    from optimizer.instance import load_instance

    solution = solve(load_instance("instances/baseline.yaml"))
    summary = make_report(solution).summary
    routes = {r["route"]: r for r in summary["shipping_routes"]}
    assert set(routes) == {"ODESA-BOSPORUS", "DANUBE-BOSPORUS"}
    assert (
        routes["ODESA-BOSPORUS"]["protected_share"] <= routes["DANUBE-BOSPORUS"]["protected_share"]
    )
    assert summary["shipping_protected_end_to_end"] <= summary["shipping_protected_per_leg"]
    assert sum(summary["objective_by_kind"].values()) == pytest.approx(solution.objective)


def test_uncertainty_ranges_are_validated() -> None:
    """A7 schema: the path must reach a number of the instance, low <= high, a source given."""
    instance = escorted_lanes()
    ok = instance.replace(
        uncertainty={
            "pools.RO-FRIG.units": {"low": 2, "high": 6, "source": "t"},
            "scenario.roe_distance_km": {"low": 0, "high": 150, "source": "t", "mode": 100},
        }
    )
    assert ok.uncertainty["pools.RO-FRIG.units"].high == 6
    with pytest.raises(ValidationError, match=r"uncertainty\.pools\.NOPE\.units"):
        instance.replace(uncertainty={"pools.NOPE.units": {"low": 1, "high": 2, "source": "t"}})
    with pytest.raises(ValidationError, match="low <= high"):
        instance.replace(uncertainty={"pools.0.units": {"low": 3, "high": 2, "source": "t"}})
    with pytest.raises(ValidationError, match="source"):
        instance.replace(uncertainty={"pools.0.units": {"low": 1, "high": 2}})
    with pytest.raises(ValidationError, match="a number"):
        instance.replace(uncertainty={"pools.0.nation": {"low": 1, "high": 2, "source": "t"}})


def us_and_uk() -> Instance:
    """F1 (weight 2) and F2 (weight 1), 40 mi each, one CAP each; the UK and the US offer one
    station each. With the US both are covered (3 points, 80 mi); re-planned without it the UK
    covers F1 (2 points, 40 mi): the US costs 1 point and 40 miles, re-optimised."""
    f1, f2 = front(1, weight=2), front(2, weight=1)
    return make(
        [f1, f2],
        [on(f1), on(f2)],
        [pool("UK-F", units=6, ups=6), pool("US-F", nation="US", units=6, ups=6)],
    )


def test_counterfactual_us_loss_is_the_difference_of_two_solves() -> None:
    from optimizer.api import solve_instance

    instance = us_and_uk()
    run = solve_instance(instance, us_dependency=True)
    dep = run.report.summary["us_dependency"]
    levels = {lv["level"]: lv for lv in dep["levels"]}
    assert set(levels) == {"enablers_only", "none"}
    full = solve(instance)
    none = solve(instance.with_scenario(us_participation="none"))
    assert full.objective == pytest.approx(3.0) and none.objective == pytest.approx(2.0)
    assert levels["none"]["objective_lost"] == pytest.approx(full.objective - none.objective)
    assert levels["none"]["front_miles_lost"] == pytest.approx(40.0)
    assert levels["none"]["front_points_lost"] == pytest.approx(1.0)
    # fighters withdrawn alone: the same loss; the static loss never below the re-planned one
    (fighters,) = dep["by_capability"]
    assert fighters["name"] == "fighters" and fighters["objective_lost"] == pytest.approx(1.0)
    assert dep["static"]["objective_lost"] >= levels["none"]["objective_lost"] - 1e-9
    assert dep["static"]["front_miles_lost"] == pytest.approx(40.0)
    table = run.report.tables["us_dependency"]
    assert list(table["counterfactual"]) == ["us_level", "us_level", "static", "us_capability"]
    # off by default in the library: no extra solves, the static figure only
    plain = solve_instance(instance).report.summary["us_dependency"]
    assert plain["levels"] is None and plain["static"]["us_dependent_stations"] == 1


def test_without_us_forces_nothing_is_re_planned_and_the_summary_says_why() -> None:
    """No US pool and none needing a US level (C7 is where the level enters the model): every
    lower level builds the same model, so no re-solve is run and the summary says so."""
    from optimizer.analysis.us_dependency import NO_US_NOTE
    from optimizer.api import solve_instance
    from optimizer.results.summary import us_lines

    f1, f2 = front(1, weight=2), front(2, weight=1)
    instance = make([f1, f2], [on(f1), on(f2)], [pool("UK-F", units=6, ups=6)])
    run = solve_instance(instance, us_dependency=True)
    dep = run.report.summary["us_dependency"]
    assert dep["levels"] == [] and dep["by_capability"] == [] and dep["note"] == NO_US_NOTE
    # the claim itself: at US none the optimum is the same
    none = solve(instance.with_scenario(us_participation="none"))
    assert none.objective == pytest.approx(run.objective) == pytest.approx(2.0)
    assert us_lines(dep) == [f"{'US':12}{NO_US_NOTE}"]
    # with a US pool the counterfactuals run as before
    assert solve_instance(us_and_uk(), us_dependency=True).report.summary["us_dependency"][
        "levels"
    ]


def three_stretches(front_miles: float, objective: str = "min-cost") -> Instance:
    """F1, F2, F3, 40 mi each, one CAP each. Posts cost 5, 1 and 2 (money per station); pool
    UK-A takes 6 units a station, UK-B 2 units and has room for one station.
    front_miles 0.6 needs 72 of 120 mi, two whole stretches: the cheapest are F2 + F3 (cost 3,
    80 mi); the fewest units are one UK-B station and one UK-A station (8 units).
    front_miles 0.3 needs 36 mi: F2 alone (cost 1). 1.0 with two stations is infeasible."""
    sectors = [front(1), front(2), front(3)]
    stations = [on(s, cost=c) for s, c in zip(sectors, (5.0, 1.0, 2.0), strict=True)]
    pools = [pool("UK-A", units=6, ups=6), pool("UK-B", units=2, ups=2)]
    scenario = {"objective": objective, "aggregate_targets": {"front_miles": front_miles}}
    return make(sectors, stations, pools, scenario)


def test_an_aggregate_target_is_met_at_the_cheapest_plan(tmp_path) -> None:
    from tests.checking import solve_verified

    run = solve_verified(three_stretches(0.6), tmp_path)
    summary = run.report.summary
    assert run.solution.status is Status.OPTIMAL
    assert run.solution.objective == pytest.approx(3.0)
    assert summary["front_miles_covered"] == pytest.approx(80.0)
    (target,) = summary["aggregate_targets"]
    assert target["required"] == pytest.approx(72.0) and target["met"]
    assert solve(three_stretches(0.3)).objective == pytest.approx(1.0)


def test_fewest_units_meeting_an_aggregate_target(tmp_path) -> None:
    from tests.checking import solve_verified

    run = solve_verified(three_stretches(0.6, "min-units"), tmp_path)
    assert run.solution.status is Status.OPTIMAL
    assert run.solution.objective == pytest.approx(8.0)
    assert run.report.summary["front_miles_covered"] == pytest.approx(80.0)


def test_an_unreachable_total_is_diagnosed() -> None:
    from optimizer.api import solve_instance

    run = solve_instance(three_stretches(1.0))
    assert run.solution.status is Status.INFEASIBLE
    assert run.diagnosis is not None
    (short,) = run.diagnosis.shortfalls
    assert short.sector == "total front_miles"
    assert short.reachable == pytest.approx(2 / 3) and short.shortfall == pytest.approx(1 / 3)
    assert "C1" in run.diagnosis.sufficient_alone  # more units would do it


def _write(instance: Instance, path) -> str:
    import yaml

    path.write_text(yaml.safe_dump(instance.model_dump(mode="json"), sort_keys=False))
    return str(path)


def ranked_stretches() -> Instance:
    """F1, F2, F3 (weights 1, 2, 3), one CAP each; the pool offers two stations (12 units).
    Base: F2 + F3 = 5. Uncertain: F1's weight 0..10 (low: 5; high: F1 + F3 = 13; swing 8),
    the pool's units 6..18 (low: F3 = 3; high: all = 6; swing 3), F3's length 30..50 mi
    (no change to the objective; swing 0)."""
    sectors = [front(1, weight=1), front(2, weight=2), front(3, weight=3)]
    instance = make(sectors, [on(s) for s in sectors], [pool("UK-A", units=12, ups=6)])
    return instance.replace(
        uncertainty={
            "sectors.F3.length_mi": {"low": 30, "high": 50, "source": "t"},
            "pools.UK-A.units": {"low": 6, "high": 18, "source": "t"},
            "sectors.F1.weight": {"low": 0, "high": 10, "source": "t"},
        }
    )


def test_the_tornado_runs_over_the_uncertainty_ranges_ranked_by_swing(tmp_path) -> None:
    from optimizer.analysis.cases import load_base
    from optimizer.analysis.sensitivity import Request, analyse

    base = load_base(_write(ranked_stretches(), tmp_path / "ranked.yaml"))
    tornado = analyse(base, Request(tables=("s4",), force_steps=1)).tables["s4_tornado"]
    assert list(tornado["field"]) == [
        "sectors.F1.weight",
        "pools.UK-A.units",
        "sectors.F3.length_mi",
    ]
    assert list(tornado["swing"]) == pytest.approx([8.0, 3.0, 0.0])
    assert list(tornado["rank"]) == [1, 2, 3]
    row = tornado.set_index("field").loc["pools.UK-A.units"]
    assert (row["objective_low"], row["objective_base"], row["objective_high"]) == (3, 5, 6)
    assert row["front_miles_swing"] == pytest.approx(120.0 - 40.0) and row["source"] == "t"


def aew_capped() -> Instance:
    """A1 and A2 (air) need a CAP and an AEW orbit each. One CAP post covers both; the only AEW
    post covers A1 alone. One CAP station and one AEW station cover A1: objective 1. More of
    both buys nothing: A2 has no AEW post - the force curve is flat and AEW caps it."""
    a1, a2 = air(1, air_patrol=1, aew=1), air(2, air_patrol=1, aew=1)
    return make(
        [a1, a2],
        [on(a1, covers=["A1", "A2"]), on(a1, "aew", suffix="E")],
        [pool("UK-F", units=6, ups=6), pool("FR-E", nation="FR", capability="aew", units=5, ups=5)],
    )


def test_the_force_curve_moves_in_whole_stations_and_names_what_caps_it(tmp_path) -> None:
    from optimizer.analysis.cases import load_base
    from optimizer.analysis.sensitivity import Request, analyse
    from optimizer.analysis.sensitivity_tables import station_units

    seven = pool("P", units=16, ups=7)  # two whole stations; 0.5 of a station rounds up
    from optimizer.instance.schema import Pool

    p = Pool.model_validate(seven)
    assert [station_units(p, 7, s) for s in (0, 0.25, 0.5, 0.75, 1, 1.5)] == [0, 7, 7, 16, 16, 21]
    base = load_base(_write(aew_capped(), tmp_path / "capped.yaml"))
    curve = analyse(base, Request(tables=("s4",), tornado=(), force_steps=2)).tables[
        "s4_force_curve"
    ]
    assert list(curve["force_pct"]) == [0, 75, 150]
    assert list(curve["stations_offered"]) == [0, 2, 4]
    assert list(curve["objective"]) == pytest.approx([0, 1, 1])
    assert list(curve["plateau"]) == [False, False, True]
    capped = curve["capped_by"].iloc[2]
    assert capped.startswith("aew binds on 1 missing pts") and "stations to spare" in capped


def sortie_posts() -> Instance:
    """F1, F2, F3 (front, one CAP each). Posts on F1 and F2 lie 150 km south of the base, F3 has
    none. The pool flies sorties (tests.test_operations.SORTIE): 28.8 aircraft keep one
    station at 150 km, so its 60 aircraft are 2 whole stations, not 60."""
    from tests.test_operations import sortie_pool, south

    sectors = [{**front(i), "lat": south(150.0), "lon": 22.019 + 0.01 * i} for i in (1, 2, 3)]
    posts = [on(sectors[0], covers=["F1"]), on(sectors[1], covers=["F2"])]
    return make(sectors, posts, [sortie_pool(units=60)], scenario={"cost_period_days": 30})


def test_the_force_curve_counts_stations_not_aircraft_for_a_sortie_pool(tmp_path) -> None:
    """0 / 50 / 100 / 150 %: 0, 1, 2, 3 stations of 28.8 aircraft (0, 29, 60, 87 aircraft);
    the third station has no post, so the curve is flat at 150 % with a station to spare, while
    at 100 % every station the pool offers is in use (57.6 of 60 aircraft)."""
    from optimizer.analysis.cases import load_base
    from optimizer.analysis.plateau import what_caps
    from optimizer.analysis.sensitivity import Request, analyse
    from optimizer.analysis.station_cost import cheapest_station_units

    instance = sortie_posts()
    assert cheapest_station_units(instance) == (pytest.approx(28.8, abs=1e-3),)
    base = load_base(_write(instance, tmp_path / "sortie.yaml"))
    curve = analyse(base, Request(tables=("s4",), tornado=(), force_steps=3)).tables[
        "s4_force_curve"
    ]
    assert list(curve["force_pct"]) == [0, 50, 100, 150]
    assert list(curve["stations_offered"]) == [0, 1, 2, 3]
    assert list(curve["units_offered"]) == [0, 29, 60, 87]
    assert list(curve["objective"]) == pytest.approx([0, 1, 2, 2])
    assert list(curve["plateau"]) == [False, False, False, True]
    assert "stations to spare" in curve["capped_by"].iloc[3]
    full = what_caps(solve(instance))
    assert full.startswith("air_patrol binds on 1 missing pts (every station its pools offer")


def test_compare_three_runs_in_miles_and_points(tmp_path) -> None:
    """us_and_uk solved three ways: as it is (F1 + F2: 80 mi, 3 pts), without the US (F1:
    40 mi, 2 pts) and without the UK (the US station goes to F1: 40 mi, 2 pts)."""
    import json

    from click.testing import CliRunner

    from optimizer.cli import main

    path = _write(us_and_uk(), tmp_path / "two.yaml")
    runner = CliRunner()
    runs = []
    for name, sets in (("both", []), ("no-us", ["scenario.us_participation=none"])):
        args = ["solve", path, "--name", name, "--out", str(tmp_path / "runs"), "--json"]
        out = runner.invoke(main, args + [a for s in sets for a in ("--set", s)])
        assert out.exit_code == 0, out.output
        runs.append(json.loads(out.output)["run_dir"])
    out = runner.invoke(
        main,
        ["solve", path, "--set", "pools.UK-F.units=0", "--out", str(tmp_path / "runs"), "--json"],
    )
    runs.append(json.loads(out.output)["run_dir"])
    assert "-both-highs" in runs[0] and "-no-us-highs" in runs[1]
    result = runner.invoke(
        main,
        [
            "compare",
            *runs,
            "--label",
            "both",
            "--label",
            "no-us",
            "--label",
            "no-uk",
            "--out",
            str(tmp_path / "cmp"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "longest uncovered stretch, both → no-us: none → F2 (40 mi)" in result.output
    summary = pd.read_csv(tmp_path / "cmp" / "summary.csv").set_index("figure")
    assert float(summary.loc["front_miles_covered", "both"]) == pytest.approx(80.0)
    assert float(summary.loc["front_miles_covered", "no-us - both"]) == pytest.approx(-40.0)
    assert float(summary.loc["front_points", "no-uk - both"]) == pytest.approx(-1.0)
    sectors = pd.read_csv(tmp_path / "cmp" / "sectors.csv").set_index("sector")
    assert list(sectors.index) == ["F2"] and sectors.loc["F2", "unit"] == "mi"
    assert sectors.loc["F2", "no-uk - both"] == pytest.approx(-40.0)
    nations = pd.read_csv(tmp_path / "cmp" / "nations.csv").set_index("nation")
    assert list(nations.loc["UK", ["both", "no-us", "no-uk"]]) == [1, 1, 0]
    assert list(nations.loc["US", ["both", "no-us", "no-uk"]]) == [1, 0, 1]
    stations = pd.read_csv(tmp_path / "cmp" / "stations.csv").set_index("station")
    assert list(stations.loc["SF2", ["both", "no-us", "no-uk"]]) == [1, 0, 0]


def test_us_lines_say_miles_and_points_or_the_cost_change() -> None:
    """Re-planned without the US: the objective falls by 2.5 pts although the front gains 5 mi
    (the plan moves a station from the air to the front); the objective comes first."""
    from optimizer.results.summary import us_lines

    static = {
        "us_dependent_stations": 3,
        "objective_lost": 3.0,
        "front_miles_lost": 40.0,
        "air_points_lost": 2.0,
        "sea_points_lost": 0.0,
    }
    level = {"level": "none", "status": "optimal", "objective": 2.0, "objective_lost": 2.5}
    level |= {"front_miles_lost": -5.0, "air_points_lost": 3.0, "sea_points_lost": 0.0}
    tankers = {"name": "tankers", "status": "optimal", "objective": 4.5, "objective_lost": 0.0}
    tankers |= {"front_miles_lost": 0.0, "air_points_lost": 0.0, "sea_points_lost": 0.0}
    aew = dict(tankers, name="AEW", objective_lost=1.25, air_points_lost=1.25)
    dep = {"levels": [level], "static": static, "by_capability": [tankers, aew]}
    cover = us_lines(dep, "max-coverage")
    assert cover[0] == (
        "US          re-planned at US none: objective -2.5 pts (front +5 mi, air -3 pts, sea 0 pts)"
    )
    assert cover[1].endswith(
        "(static, not re-planned): objective -3 pts (front -40 mi, air -2 pts, sea 0 pts)"
    )
    assert cover[2].endswith("tankers no loss; AEW objective -1.25 pts (air -1.25 pts)")
    assert "%" not in " ".join(cover)
    priced = dict(level, objective=11.0, objective_lost=-7.0)
    cost = us_lines(dep | {"levels": [priced]}, "min-cost")
    assert cost[0].endswith("re-planned at US none: cost +7 for the same targets")
    infeasible = dict(level, status="infeasible", objective=None, objective_lost=None)
    infeasible |= {"front_miles_lost": None}
    assert us_lines(dep | {"levels": [infeasible]}, "min-cost")[0].endswith("no plan (infeasible)")


def test_signed_changes_never_show_a_negative_zero() -> None:
    from optimizer.results.summary import signed

    assert signed(-0.0001) == "0"
    assert signed(-0.4, "+.0f") == "0"  # rounds to nothing: not "-0"
    assert signed(0.6, "+.0f") == "+1"
    assert signed(-15.36, "+.4g") == "-15.36"
    assert signed(1.41) == "+1.41"
