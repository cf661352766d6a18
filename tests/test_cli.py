"""The `validate` and `solve` commands on good and bad files: exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from optimizer.cli import main

TINY = Path(__file__).parent / "data" / "tiny.yaml"
JSON_KEYS = {
    "status",
    "objective",
    "best_bound",
    "gap",
    "solver",
    "front_miles_total",
    "front_miles_covered",
    "longest_uncovered_miles",
    "air_coverage",
    "sea_coverage",
    "run_dir",
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def tiny_with(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(TINY.read_text())
    edit(data)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_validate_good_file() -> None:
    code, out, _ = run("validate", str(TINY))
    assert code == 0
    assert "valid instance 'tiny'" in out and "2 nations" in out


BAD_EDITS = {
    "unknown field": (
        lambda d: d["pools"][0].update(colour="red"),
        "pools.0.colour",
        "unknown field",
    ),
    "wrong type": (lambda d: d["pools"][0].update(units="many"), "pools.0.units", "integer"),
    "negative count": (
        lambda d: d["pools"][0].update(units=-4),
        "pools.0.units",
        "greater than or equal to 0",
    ),
    "unknown reference": (
        lambda d: d["pools"][0].update(bases=["EPXX"]),
        "pools.0.bases.0",
        "an existing base id",
    ),
    "duplicate id": (
        lambda d: d["sectors"].append(dict(d["sectors"][0])),
        "sectors.2.id",
        "duplicate id 'F1'",
    ),
    "unit mix-up": (lambda d: d["sectors"][0].update(length_nm=30), "sectors.0", "use length_mi"),
    "impossible geography": (
        lambda d: d["sectors"][0].update(start=[48.0, 36.0], end=[48.0, 38.0], length_mi=20),
        "sectors.0.length_mi",
        "straight distance",
    ),
    "latitude out of range": (
        lambda d: d["bases"][0].update(lat=123.0),
        "bases.0.lat",
        "less than or equal to 90",
    ),
    "empty required list": (lambda d: d.update(pools=[]), "pools", "at least 1"),
    "missing field": (
        lambda d: d["stations"][0].pop("lat"),
        "stations.0.lat",
        "required field is missing",
    ),
    "bad scenario value": (
        lambda d: d.update(scenario={"us_participation": "maybe"}),
        "scenario.us_participation",
        "'full'",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_EDITS))
@pytest.mark.parametrize("command", ["validate", "solve"])
def test_bad_input_names_file_and_field(tmp_path: Path, name: str, command: str) -> None:
    edit, field, expected = BAD_EDITS[name]
    path = tiny_with(tmp_path, edit)
    code, out, err = (
        run(command, str(path), "--out", str(tmp_path / "results"))
        if (command == "solve")
        else run(command, str(path))
    )
    assert code == 2, (out, err)
    assert err.count("\n") == 1, err  # one line
    assert err.startswith(f"error: {path}: {field}:"), err
    assert expected in err
    assert "Traceback" not in out + err
    assert not (tmp_path / "results").exists()  # nothing written for bad input


def test_yaml_syntax_error_gives_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nnations: [\n  {id: UK\n")
    code, _, err = run("validate", str(path))
    assert code == 2
    assert err.startswith(f"error: {path}: line ") and "YAML syntax error" in err


def test_missing_file_and_wrong_suffix(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "none.yaml"))
    assert code == 2 and "no such file" in err
    odd = tmp_path / "case.json"
    odd.write_text("{}")
    code, _, err = run("validate", str(odd))
    assert code == 2 and ".yaml, .yml or .toml" in err


def test_bad_override_is_exit_2() -> None:
    code, _, err = run("solve", str(TINY), "--no-write", "--set", "pools.NOPE.units=3")
    assert code == 2 and "pools.NOPE" in err
    code, _, err = run("solve", str(TINY), "--no-write", "--set", "scenario.budget")
    assert code == 2 and "PATH=VALUE" in err


def test_unknown_solver_is_usage_error() -> None:
    code, _, err = run("solve", str(TINY), "--no-write", "--solver", "gurobi")
    assert code == 2 and "highs" in err


def test_solve_json_writes_a_new_run_folder_each_time(tmp_path: Path) -> None:
    out = tmp_path / "results"
    code, stdout, _ = run("solve", str(TINY), "--json", "--out", str(out))
    assert code == 0
    first = json.loads(stdout)
    assert set(first) >= JSON_KEYS
    assert first["status"] == "optimal" and first["objective"] == pytest.approx(1.0)
    assert first["front_miles_total"] == pytest.approx(50.0)
    run_dir = Path(first["run_dir"])
    expected = {
        "run.json",
        "summary.json",
        "instance.json",
        "plan.csv",
        "sectors.csv",
        "pools.csv",
        "bases.csv",
        "nations.csv",
        "summary.txt",
    }
    assert expected <= {p.name for p in run_dir.iterdir()}
    record = json.loads((run_dir / "run.json").read_text())
    assert len(record["instance_hash"]) == 64 and record["solver"] == "highs"
    code, stdout, _ = run("solve", str(TINY), "--json", "--out", str(out))
    second = Path(json.loads(stdout)["run_dir"])
    assert second != run_dir and run_dir.exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".tmp")]


def test_set_override_changes_the_answer(tmp_path: Path) -> None:
    """Twelve units make two stations: both tiny sectors are covered (objective 2)."""
    code, stdout, _ = run(
        "solve", str(TINY), "--json", "--no-write", "--set", "pools.UK-F.units=12"
    )
    assert code == 0
    result = json.loads(stdout)
    assert result["objective"] == pytest.approx(2.0) and result["run_dir"] is None


def test_infeasible_exit_1() -> None:
    code, stdout, _ = run(
        "solve",
        str(TINY),
        "--no-write",
        "--objective",
        "min-cost",
        "--set",
        "scenario.targets.front=1",
        "--set",
        "scenario.targets.air=1",
    )
    assert code == 1
    assert "infeasible" in stdout


def test_summary_names_status_and_front(tmp_path: Path) -> None:
    code, stdout, _ = run("solve", str(TINY), "--out", str(tmp_path))
    assert code == 0
    assert "optimal (proven optimal)" in stdout
    assert "50 of 50 mi covered" in stdout


def test_console_script_runs_in_a_subprocess(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "optimizer", "validate", str(tmp_path / "missing.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "no such file" in proc.stderr


def test_summary_says_when_the_tie_break_is_not_proven() -> None:
    from optimizer.results.summary import later_phases_unproven

    planned = ["coverage", "cost"]
    done = {"phase": "coverage", "status": "optimal", "objective": 10.0, "bound": 10.0}
    record = {"status": "optimal", "phases_planned": planned, "phases": [done]}
    assert later_phases_unproven(record) == ["cost not run (time limit or tie-break budget)"]
    tie = {"phase": "cost", "status": "time_limit", "objective": 58.522, "bound": 51.8}
    record["phases"] = [done, tie]
    assert later_phases_unproven(record) == ["cost time_limit at 58.522 (bound 51.8)"]
    record["phases"] = [done, {**tie, "status": "optimal", "bound": 58.522}]
    assert later_phases_unproven(record) == []
    assert later_phases_unproven({**record, "status": "infeasible", "phases": [done]}) == []


def test_proven_solve_has_no_tie_break_line() -> None:
    baseline = Path(__file__).resolve().parents[1] / "instances" / "baseline.yaml"
    result = CliRunner().invoke(main, ["solve", str(baseline), "--no-write"])
    assert result.exit_code == 0, result.output
    assert "tie-break" not in result.output and "proven optimal" in result.output
