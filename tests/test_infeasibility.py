"""Infeasibility explained (optimizer.model.diagnose): what cannot be met, by how much, and why."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.api import solve_instance
from optimizer.cli import main
from optimizer.model import solve
from optimizer.model.data import compile_instance
from optimizer.model.diagnose import diagnose, row_labels
from optimizer.results import make_report
from optimizer.solvers import Status
from tests.builders import BASE, front, make, on, pool
from tests.strategies import PROFILE, small_instances, write_yaml

O2 = {"objective": "min-cost", "targets": {"front": 1.0}}
SECTORS = [front(i) for i in (1, 2, 3)]


def o2(pools, scenario=None, bases=None, sectors=SECTORS):
    stations = [on(x) for x in SECTORS]
    return make(sectors, stations, pools, scenario={**O2, **(scenario or {})}, bases=bases)


def diagnosed(instance):
    solution = solve(instance)
    assert solution.status is Status.INFEASIBLE
    return diagnose(solution.formulation)


def test_too_few_units_names_the_pool_and_the_shortfall() -> None:
    d = diagnosed(o2([pool("UK-F", units=12, ups=6)]))  # 2 stations' worth, 3 targets
    assert d.infeasible and d.limits_explain
    assert [(s.capability, s.target, s.shortfall) for s in d.shortfalls] == [("air_patrol", 1, 1)]
    assert d.shortfalls[0].reason.startswith("the forces offered")
    [v] = d.violations
    assert (v.family, v.constraint, v.limit, v.needed) == ("C1", "pool UK-F: units offered", 12, 18)
    assert d.sufficient_alone == ["C1"]
    assert d.families == ["C1", "targets"]


def test_budget_too_small_names_the_budget() -> None:
    d = diagnosed(o2([pool("UK-F", units=18, ups=6, cost_per_station=10)], {"budget": 25}))
    [v] = d.violations
    assert (v.family, v.constraint, v.limit, v.needed, v.excess) == ("C11", "budget", 25, 30, 5)
    assert d.sufficient_alone == ["C11"]


def test_base_capacity_below_what_targets_force() -> None:
    base = {**BASE, "capacity": {"aircraft": 12}}
    d = diagnosed(o2([pool("UK-F", units=30, ups=6)], bases=[base]))
    [v] = d.violations
    assert (v.family, v.constraint, v.excess) == ("C2", "base EPRZ: aircraft capacity", 6)
    assert d.sufficient_alone == ["C2"]


def test_out_of_range_is_structural_and_the_filter_finds_c3() -> None:
    d = diagnosed(o2([pool("UK-F", units=30, ups=6, radius_km=750)]))  # reaches F1 only
    assert not d.limits_explain and not d.violations
    assert {s.sector for s in d.shortfalls} == {"F2", "F3"}
    assert all("no admissible pool" in s.reason for s in d.shortfalls)
    assert d.sufficient_alone == ["C3"]


def test_a_sector_no_station_covers() -> None:
    sectors = [*SECTORS, front(4)]
    d = diagnosed(o2([pool("UK-F", units=30, ups=6)], sectors=sectors))
    [s] = d.shortfalls
    assert (s.sector, s.reason) == ("F4", "no station of this capability covers the sector")
    assert d.sufficient_alone == [] and not d.limits_explain


def test_a_feasible_instance_is_not_diagnosed_as_infeasible() -> None:
    solution = solve(o2([pool("UK-F", units=30, ups=6)]))
    assert solution.status is Status.OPTIMAL
    d = diagnose(solution.formulation)
    assert not d.infeasible and not d.shortfalls and not d.violations


def test_report_copes_with_a_solution_without_plan() -> None:
    solution = solve(o2([pool("UK-F", units=12, ups=6)]))
    assert solution.x is None
    report = make_report(solution)
    assert report.tables["plan"].empty
    assert report.summary["stations_placed"] == 0
    assert report.summary["objective_recomputed"] is None
    json.dumps(report.json_view(None), allow_nan=True)


def test_cli_reports_the_diagnosis_everywhere(tmp_path: Path) -> None:
    file = tmp_path / "short.yaml"
    write_yaml(o2([pool("UK-F", units=12, ups=6)]), file)
    out = tmp_path / "results"
    runner = CliRunner()
    text = runner.invoke(main, ["solve", str(file), "--out", str(out)])
    assert text.exit_code == 1, text.output
    assert "infeasible" in text.output and "C1 pool UK-F: units offered" in text.output
    [run] = out.iterdir()
    record = json.loads((run / "run.json").read_text())
    assert record["status"] == "infeasible" and record["diagnosis"]["families"] == ["C1", "targets"]
    assert json.loads((run / "diagnosis.json").read_text())["sufficient_alone"] == ["C1"]
    csv = (run / "diagnosis.csv").read_text().splitlines()
    assert csv[0].startswith("item,family,sector") and any(",F3," in line for line in csv)
    as_json = runner.invoke(main, ["solve", str(file), "--json", "--no-write"])
    assert as_json.exit_code == 1
    view = json.loads(as_json.stdout)
    assert view["status"] == "infeasible" and view["diagnosis"]["shortfalls"][0]["sector"] == "F3"


def with_reachable_targets(instance, level: float):
    """Targets on the sectors some admissible triple covers for every requirement."""
    data = compile_instance(instance)
    reach = np.diff(data.effective_cover().indptr) > 0
    sectors = []
    for k, sector in enumerate(instance.sectors):
        ok = bool(reach[data.r_sector == k].all())
        sectors.append(sector.model_dump() | ({"target": level} if ok else {}))
    return instance.replace(sectors=sectors)


@settings(PROFILE, max_examples=30)
@given(small_instances(objective="min-cost"), st.sampled_from([0.3, 0.6, 1.0]))
def test_naming_the_violated_families_explains_random_targets(instance, level) -> None:
    """Switching off every family the elastic re-solve names makes the instance feasible."""
    instance = with_reachable_targets(instance, level)
    solution = solve(instance)
    labels = row_labels(solution.formulation)
    assert not any(" row " in name for _, name in labels.values())  # every row has its name
    d = diagnose(solution.formulation, time_limit=20)
    assert d.infeasible == (solution.status is Status.INFEASIBLE)
    if not d.infeasible:
        return
    assert d.shortfalls and all(s.shortfall > 0 for s in d.shortfalls)
    if d.limits_explain:
        off = {v.family: False for v in d.violations}
        assert solve(instance.with_scenario(constraints=off)).status is Status.OPTIMAL
    for family in d.sufficient_alone:
        assert solve(instance.with_scenario(constraints={family: False})).x is not None


@pytest.mark.parametrize("solver", ["cbc", "ortools"])
def test_other_backends_are_diagnosed_too(solver: str) -> None:
    run = solve_instance(o2([pool("UK-F", units=12, ups=6)]), solver)
    assert run.solution.status is Status.INFEASIBLE and run.diagnosis is not None
    assert math.isclose(run.diagnosis.violations[0].excess, 6)
