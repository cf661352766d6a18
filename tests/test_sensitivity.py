"""Sensitivity tables S1-S4 on a small complete instance: real solves, checked properties."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from optimizer.analysis.cases import load_base
from optimizer.analysis.duals import pool_duals
from optimizer.analysis.sensitivity import Request, analyse
from optimizer.cli import main
from optimizer.instance import load_instance
from optimizer.model import solve
from optimizer.model.solve import build_model
from optimizer.solvers.highs import new_highs, to_highs_lp

SMALL = Path(__file__).parent / "data" / "sens_small.yaml"
REQUEST = Request(
    switches=("scenario.coverage_mode=threshold", "scenario.constraints.C10=false"),
    tornado=(("pools.UK-Typhoon.units", "6", "24"), ("sectors.F3.weight", "0.5", "3")),
    force_steps=6,
)


@pytest.fixture(scope="module")
def result():
    return analyse(load_base(SMALL), REQUEST)


def objective(*overrides: str) -> float:
    solution = solve(load_instance(SMALL, list(overrides)), "highs")
    assert solution.status.value == "optimal"
    return float(solution.objective)


def test_s1_levels_are_monotone_and_match_direct_solves(result) -> None:
    s1 = result.tables["s1_us_participation"].set_index("us_participation")
    assert list(s1.index) == ["none", "enablers_only", "full"]
    obj = s1["objective"]
    assert obj["none"] <= obj["enablers_only"] <= obj["full"]
    assert obj["none"] < obj["full"]  # the US matters in this instance
    assert s1["front_miles_covered"]["none"] <= s1["front_miles_covered"]["full"]
    assert obj["none"] == pytest.approx(objective("scenario.us_participation=none"))
    assert obj["full"] == pytest.approx(result.baseline["objective"])
    assert bool(s1["is_baseline"]["full"]) and not bool(s1["is_baseline"]["none"])
    assert s1.loc["none", "obj_change"] == pytest.approx(obj["none"] - obj["full"])


def test_s2_marginal_values_are_resolved_mips(result) -> None:
    s2 = result.tables["s2_marginal_value"].set_index("pool")
    assert len(s2) == 15 and (s2["statuses"] == "optimal").all()
    # one more unit (or station) never lowers a max-coverage objective; one less never raises it
    assert (s2["obj_change_plus_1_unit"] >= -1e-9).all()
    assert (s2["obj_change_plus_1_station"] >= s2["obj_change_plus_1_unit"] - 1e-9).all()
    assert (s2["obj_change_minus_1_unit"] <= 1e-9).all()
    assert (s2["obj_change_minus_1_station"] <= s2["obj_change_minus_1_unit"] + 1e-9).all()
    # fighters come six to a station: one aircraft buys nothing, one station's worth does
    rafale = s2.loc["FR-Rafale"]
    assert rafale["station_units"] == 6 and rafale["obj_change_plus_1_unit"] == 0
    base = result.baseline["objective"]
    assert rafale["obj_change_plus_1_station"] == pytest.approx(
        objective("pools.FR-Rafale.units=18") - base
    )
    assert rafale["obj_change_plus_1_station"] > 0
    assert s2.loc["UK-Typhoon", "obj_change_minus_1_unit"] == pytest.approx(
        objective("pools.UK-Typhoon.units=11") - base
    )
    # a whole pool withdrawn, re-solved; ranked by that loss first (largest loss first)
    assert s2.loc["FR-Rafale", "obj_change_without_pool"] == pytest.approx(
        objective("pools.FR-Rafale.units=0") - base
    )
    assert (s2["obj_change_without_pool"] <= s2["obj_change_minus_1_unit"] + 1e-9).all()
    losses = s2.sort_values("rank")["obj_change_without_pool"].to_numpy()
    assert (np.diff(losses) >= -1e-9).all() and list(s2.sort_values("rank")["rank"]) == list(
        range(1, 16)
    )


def test_s2_nations_withdrawn_whole(result) -> None:
    nations = result.tables["s2_nations"].set_index("nation")
    base = result.baseline["objective"]
    us_pools = nations.loc["US", "pools"].split()
    assert nations.loc["US", "obj_change_without_nation"] == pytest.approx(
        objective(*(f"pools.{p}.units=0" for p in us_pools)) - base
    )
    assert (nations["obj_change_without_nation"] <= 1e-9).all()
    ranked = nations.sort_values("rank")["obj_change_without_nation"].to_numpy()
    assert (np.diff(ranked) >= -1e-9).all()


def _lp_objective(instance) -> float:
    formulation, _ = build_model(instance)
    m = formulation.matrix
    col_hi = m.col_hi.copy()
    col_hi[formulation.x_slice] = formulation.data.s_max[formulation.data.t_station]
    lp = replace(m, c=formulation.phases[0].c, col_hi=col_hi, integer=np.zeros(m.shape[1], bool))
    h = new_highs()
    h.passModel(to_highs_lp(lp))
    h.run()
    return -h.getInfo().objective_function_value


def test_s2_lp_duals_are_the_relaxations_shadow_prices(result) -> None:
    s2 = result.tables["s2_marginal_value"].set_index("pool")
    duals = s2["lp_relaxation_dual_per_unit"]
    assert (duals.dropna() >= -1e-9).all()
    # the LP values one more aircraft where the MIP does not (integrality): the label matters
    assert duals["FR-Rafale"] > 0 and s2.loc["FR-Rafale", "obj_change_plus_1_unit"] == 0
    instance = load_instance(SMALL)
    step = _lp_objective(load_instance(SMALL, ["pools.FR-Rafale.units=13"]))
    assert duals["FR-Rafale"] == pytest.approx(step - _lp_objective(instance), abs=1e-7)
    # a pool too small for one station has no admissible placement, no C1 row, no dual
    assert pool_duals(load_instance(SMALL, ["pools.FR-Rafale.units=5"]))["FR-Rafale"] is None


def test_s3_straits_and_switches(result) -> None:
    s3 = result.tables["s3_switches"].set_index("setting")
    base = s3.loc["baseline"]
    montreux, closed = s3.loc["scenario.straits=montreux"], s3.loc["scenario.straits=closed"]
    assert montreux["objective"] == base["objective"]  # the instance's own policy
    assert closed["objective"] < montreux["objective"]
    assert closed["sea_coverage"] < montreux["sea_coverage"] == 1.0
    assert closed["front_miles_covered"] == montreux["front_miles_covered"]
    threshold = s3.loc["scenario.coverage_mode=threshold"]
    assert threshold["objective"] <= base["objective"]
    assert threshold["obj_change"] == pytest.approx(threshold["objective"] - base["objective"])
    assert s3.loc["scenario.constraints.C10=false", "objective"] >= base["objective"]


def test_s4_tornado_and_force_curve(result) -> None:
    tornado = result.tables["s4_tornado"]
    assert list(tornado["swing"]) == sorted(tornado["swing"], reverse=True)
    typhoon = tornado.set_index("field").loc["pools.UK-Typhoon.units"]
    assert typhoon["base_value"] == "12"
    assert typhoon["objective_low"] <= typhoon["objective_base"] <= typhoon["objective_high"]
    weight = tornado.set_index("field").loc["sectors.F3.weight"]
    assert weight["objective_high"] - weight["objective_low"] == pytest.approx(weight["swing"])
    curve = result.tables["s4_force_curve"]
    assert list(curve["force_pct"]) == [0, 25, 50, 75, 100, 125, 150]
    assert curve["units_offered"].is_monotonic_increasing
    assert curve["stations_offered"].is_monotonic_increasing
    assert curve["objective"].is_monotonic_increasing  # coverage never falls with more force
    assert curve["objective"].iloc[0] == 0 and curve["front_miles_covered"].iloc[0] == 0
    full = curve.set_index("force_pct").loc[100]
    assert full["objective"] == pytest.approx(result.baseline["objective"])
    assert curve["objective"].iloc[-1] >= full["objective"]


def test_identical_cases_are_solved_once(result) -> None:
    cells = 1 + 3 + 5 * 15 + 6 + 2 + 2 + 4 + 7
    assert result.record["cases_solved"] < cells
    overrides = [tuple(c["overrides"]) for c in result.record["cases"]]
    assert len(set(overrides)) == len(overrides)


def test_cli_writes_every_table_and_matches_the_library(result, tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["sensitivity", str(SMALL), "--out", str(tmp_path), "--json", "--jobs", "2"]
    args += ["--table", "s1", "--table", "s3", "--switch", "scenario.coverage_mode=threshold"]
    out = runner.invoke(main, args)
    assert out.exit_code == 0, out.output
    payload = json.loads(out.output)
    assert set(payload["tables"]) == {"s1_us_participation", "s3_switches"}
    folder = Path(payload["run_dir"])
    for name in ("s1_us_participation", "s3_switches"):
        csv = pd.read_csv(folder / f"{name}.csv")
        assert (folder / f"{name}.md").read_text().startswith("|")
        expected = result.tables[name]
        if name == "s3_switches":
            expected = expected[expected["setting"] != "scenario.constraints.C10=false"]
        assert list(csv["objective"]) == pytest.approx(list(expected["objective"]))
    assert (folder / "sensitivity.json").is_file() and (folder / "run.json").is_file()
    text = runner.invoke(main, ["sensitivity", str(SMALL), "--table", "s1", "--no-write"])
    assert text.exit_code == 0 and "## S1 US participation levels" in text.output
    for bad in (["--tornado", "pools.UK-Typhoon.units=6"], ["--switch", "scenario.nope=1"]):
        failed = runner.invoke(main, ["sensitivity", str(SMALL), "--no-write", *bad])
        assert failed.exit_code == 2, failed.output


BASELINE = Path(__file__).resolve().parents[1] / "instances" / "baseline.yaml"


@pytest.mark.skipif(not BASELINE.is_file(), reason="instances/baseline.yaml not present")
def test_baseline_s1_and_straits() -> None:
    """On the realistic instance: less US participation and closed straits never help."""
    result = analyse(load_base(BASELINE), Request(tables=("s1", "s3")))
    s1 = result.tables["s1_us_participation"].set_index("us_participation")["objective"]
    assert s1["none"] <= s1["enablers_only"] <= s1["full"] and s1["none"] < s1["full"]
    s3 = result.tables["s3_switches"].set_index("setting")
    closed, montreux = s3.loc["scenario.straits=closed"], s3.loc["scenario.straits=montreux"]
    assert closed["objective"] <= montreux["objective"]
    assert closed["sea_coverage"] <= montreux["sea_coverage"]
