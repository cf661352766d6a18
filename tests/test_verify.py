"""posture verify: solved plans pass; planted violations of every family are caught (exit 1).

The hand-checked instances of tests/test_constraints.py are solved (as they are, with their
family switched off, under O3 and in threshold mode) and every plan must verify. Then plan.csv
is replaced by a hand-written plan that breaks one rule, and the checker must name the family
and the size of the violation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.check import verify_run
from optimizer.cli import main
from optimizer.instance import Instance
from optimizer.instance.schema import FIXED_FAMILIES
from tests.builders import switched_off
from tests.checking import solve_verified
from tests.test_constraints import CASES

FAMILY_OF = {
    "c1_availability": "C1",
    "c2_base_capacity": "C2",
    "c3_range": "C3",
    "c4_tanker": "C4",
    "c5_capability_coverage": "C5",
    "c6_joint_requirement": "C6",
    "c7_us_backstop": "C7",
    "c8_us_share": "C8",
    "c9_politics": "C9",
    "c9_escalation": "C9",
    "c10_montreux": "C10",
    "c11_budget": "C11",
}
VARIANTS: dict[str, Callable[[Instance, str], Instance]] = {
    "as-is": lambda inst, fam: inst,
    # C5 defines coverage and cannot be switched off (the instance keeps it on)
    "family-off": lambda inst, fam: inst if fam in FIXED_FAMILIES else switched_off(inst, fam),
    "max-min": lambda inst, fam: inst.with_scenario(objective="max-min"),
    "threshold": lambda inst, fam: inst.with_scenario(coverage_mode="threshold"),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("name", sorted(CASES))
def test_solved_plans_verify(tmp_path: Path, name: str, variant: str) -> None:
    instance = VARIANTS[variant](CASES[name](), FAMILY_OF[name])
    run = solve_verified(instance, tmp_path)
    report = verify_run(None, run.run_dir)  # the run's own instance.json gives the same verdict
    assert report.ok and report.objective == pytest.approx(run.solution.objective, abs=1e-9)


def targets(instance: Instance, target: float) -> Instance:
    return instance.with_scenario(objective="min-cost", targets={"front": target})


def test_min_cost_plan_verifies(tmp_path: Path) -> None:
    instance = targets(CASES["c11_budget"](), 1.0).with_scenario(budget=None)
    run = solve_verified(instance, tmp_path)
    assert run.solution.objective == pytest.approx(30.0)


def plant(run_dir: Path, rows: list[tuple[str, str, str, int]]) -> None:
    lines = ["pool,base,station,stations", *(",".join(map(str, r)) for r in rows)]
    (run_dir / "plan.csv").write_text("\n".join(lines) + "\n")


UK, B = "UK-F", "EPRZ"
PLANTS: dict[str, tuple[Callable[[], Instance], list[tuple[str, str, str, int]], str, float]] = {
    # name: (instance, plan, family expected, size of the violation)
    "C1 pool units": (
        CASES["c1_availability"],
        [(UK, B, "SF1", 1), (UK, B, "SF2", 1), (UK, B, "SF3", 1)],
        "C1",
        6.0,
    ),
    "C1 post room": (CASES["c1_availability"], [(UK, B, "SF1", 2)], "C1", 1.0),
    "C2 base capacity": (
        CASES["c2_base_capacity"],
        [(UK, B, "SF1", 1), (UK, B, "SF2", 1)],
        "C2",
        4.0,
    ),
    "C3 range": (CASES["c3_range"], [(UK, B, "SF3", 1)], "C3", None),
    "C4 tanker": (
        CASES["c4_tanker"],
        [(UK, B, f"SF{i}", 1) for i in (1, 2, 3, 4)] + [("US-KC", B, "T1", 1)],
        "C4",
        1.0,
    ),
    "C7 US level": (CASES["c7_us_backstop"], [("US-F", B, "SF1", 1)], "C7", 1.0),
    "C8 US share": (
        CASES["c8_us_share"],
        [("US-F", B, "SF1", 1), ("US-F", B, "SF2", 1)],
        "C8",
        6.0,
    ),
    "C9 presence": (CASES["c9_politics"], [("DE-T", B, "SF1", 1)], "C9", 1.0),
    "C9 ROE": (CASES["c9_politics"], [("FR-F", B, "SF2", 1)], "C9", 45.0),
    "C9 escalation": (CASES["c9_escalation"], [(UK, B, f"SF{i}", 1) for i in (1, 2, 3)], "C9", 1.0),
    "C10 tonnage": (
        CASES["c10_montreux"],
        [("UK-N", B, f"SL{i}", 1) for i in (1, 2, 3, 4)],
        "C10",
        10_000.0,
    ),
    "C10 closed": (
        lambda: CASES["c10_montreux"]().with_scenario(straits="closed"),
        [("UK-N", B, "SL1", 1)],
        "C10",
        1.0,
    ),
    "C11 budget": (CASES["c11_budget"], [(UK, B, f"SF{i}", 1) for i in (1, 2, 3)], "C11", 5.0),
    "O2 target": (
        lambda: targets(CASES["c11_budget"](), 1.0).with_scenario(budget=None),
        [(UK, B, "SF1", 1), (UK, B, "SF2", 1)],
        "O2",
        1.0,
    ),
    "capability": (CASES["c6_joint_requirement"], [(UK, B, "SA1E", 1)], "triple", 0.0),
    "unknown ids": (CASES["c1_availability"], [("XX-F", B, "SF1", 1)], "triple", 0.0),
    "fraction": (CASES["c1_availability"], [(UK, B, "SF1", 0.5)], "triple", 0.0),  # type: ignore[list-item]
}


@pytest.mark.parametrize("name", sorted(PLANTS))
def test_planted_violation_is_caught(tmp_path: Path, name: str) -> None:
    build, rows, family, size = PLANTS[name]
    instance = build()
    run = solve_verified(instance, tmp_path)
    plant(run.run_dir, rows)
    report = verify_run(instance, run.run_dir)
    assert family in report.families(), report.text()
    if size:
        sizes = [v.size for v in report.violations if v.family == family]
        assert any(s == pytest.approx(size, rel=1e-9) for s in sizes), report.text()
    elif size is None:
        assert all(v.size > 0 for v in report.violations if v.family == family)
    result = CliRunner().invoke(main, ["verify", str(run.run_dir)])
    assert result.exit_code == 1 and "FAILED" in result.stdout
    assert f"violation   {family}" in result.stdout


def test_c3_violation_size_is_the_excess_distance(tmp_path: Path) -> None:
    instance = CASES["c3_range"]()
    run = solve_verified(instance, tmp_path)
    plant(run.run_dir, [(UK, B, "SF3", 1)])
    (violation,) = [v for v in verify_run(instance, run.run_dir).violations if v.family == "C3"]
    assert 25 < violation.size < 40  # F3 is 833 km from Rzeszów, the radius 800 km


def test_wrong_objective_and_lying_columns(tmp_path: Path) -> None:
    instance = CASES["c1_availability"]()
    run = solve_verified(instance, tmp_path)
    record = json.loads((run.run_dir / "run.json").read_text())
    record["objective"] += 1e-3
    (run.run_dir / "run.json").write_text(json.dumps(record))
    report = verify_run(instance, run.run_dir)
    assert report.families() == {"objective"}
    assert report.violations[0].size == pytest.approx(1e-3)
    record["objective"] -= 1e-3 - 5e-7  # within 1e-6: accepted
    (run.run_dir / "run.json").write_text(json.dumps(record))
    assert verify_run(instance, run.run_dir).ok
    plan = (run.run_dir / "plan.csv").read_text().splitlines()
    header = plan[0].split(",")
    cells = plan[1].split(",")
    cells[header.index("units")] = "5"
    (run.run_dir / "plan.csv").write_text("\n".join([plan[0], ",".join(cells), *plan[2:]]) + "\n")
    assert verify_run(instance, run.run_dir).families() == {"plan"}


def test_hash_warning_and_run_without_plan(tmp_path: Path) -> None:
    instance = CASES["c1_availability"]()
    run = solve_verified(instance, tmp_path)
    other = instance.replace(pools=[p.model_copy(update={"units": 18}) for p in instance.pools])
    report = verify_run(other, run.run_dir)
    assert report.ok and "differs from the one solved" in report.warnings[0]
    record = json.loads((run.run_dir / "run.json").read_text())
    record.update(status="infeasible", objective=None)
    (run.run_dir / "run.json").write_text(json.dumps(record))
    assert verify_run(instance, run.run_dir).families() == {"run"}


def test_cli_bad_run_folder_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["verify", str(tmp_path)])
    assert result.exit_code == 2 and "run.json: no such file" in result.stderr
    result = CliRunner().invoke(main, ["verify", "a", "b", "c"])
    assert result.exit_code == 2


def test_cli_verify_takes_the_solve_shorthands(tmp_path: Path) -> None:
    tiny = str(Path(__file__).parent / "data" / "tiny.yaml")
    args = ["--objective", "max-min", "--mode", "threshold"]
    solved = CliRunner().invoke(main, ["solve", tiny, *args, "--out", str(tmp_path)])
    assert solved.exit_code == 0
    (run_dir,) = tmp_path.iterdir()
    result = CliRunner().invoke(main, ["verify", tiny, *args, str(run_dir)])
    assert result.exit_code == 0 and "warning" not in result.stdout
    result = CliRunner().invoke(main, ["verify", tiny, str(run_dir)])
    assert (
        "--set scenario.objective=max-min --set scenario.coverage_mode=threshold" in result.stdout
    )
