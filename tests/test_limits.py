"""Limits: inputs too large are refused with a clear message (exit 2) that says how to raise
the limit; side files and ``extends`` stay inside the instance's own folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings

from optimizer.cli import main
from optimizer.instance import Instance
from optimizer.instance.limits import candidate_triples
from optimizer.model.limits import estimated_nonzeros
from optimizer.model.solve import build_model
from tests.strategies import PROFILE, hard_instance, small_instances, write_yaml

TINY = Path(__file__).parent / "data" / "tiny.yaml"


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, [*args], env=env)


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("POSTURE_MAX_FILE_BYTES", "100", "bytes; the limit is 100"),
        ("POSTURE_MAX_VALUES", "10", "more than 10 values"),
        ("POSTURE_MAX_RECORDS", "1", "nations: records: 2 exceeds the limit of 1"),
        ("POSTURE_MAX_TRIPLES", "1", "pools: candidate (pool, base, station) triples: 2"),
        ("POSTURE_MAX_FILE_BYTES", "many", "expected a positive integer"),
        ("POSTURE_MAX_TRIPLES", "-5", "expected a positive integer"),
    ],
)
def test_each_limit_refuses_with_exit_2(variable: str, value: str, says: str) -> None:
    for command in (["validate"], ["solve", "--no-write"]):
        result = invoke(*command, str(TINY), env={variable: value})
        assert result.exit_code == 2, result.output
        [line] = result.stderr.splitlines()
        assert line.startswith(f"error: {TINY}: ") and says in line
        assert variable in line


def test_the_nonzero_limit_is_checked_before_building(tmp_path: Path) -> None:
    file = tmp_path / "hard.yaml"
    write_yaml(hard_instance(100, 100, 5, 10), file)
    result = invoke("solve", str(file), "--no-write", env={"POSTURE_MAX_NONZEROS": "1000"})
    assert result.exit_code == 2
    assert "estimated nonzeros" in result.stderr and "POSTURE_MAX_NONZEROS" in result.stderr
    raised = invoke(
        "solve", str(file), "--no-write", "--time-limit", "0.2", env={"POSTURE_MAX_NONZEROS": "1e5"}
    )
    assert raised.exit_code == 0, raised.stderr


@settings(PROFILE, max_examples=30)
@given(small_instances())
def test_the_estimates_bound_what_is_built(instance: Instance) -> None:
    formulation, _ = build_model(instance)
    assert estimated_nonzeros(formulation.data) >= formulation.matrix.A.nnz
    assert candidate_triples(instance) >= formulation.data.n_triples


def test_many_records_are_refused_before_validation(tmp_path: Path) -> None:
    data = yaml.safe_load(TINY.read_text())
    data["stations"] = [dict(data["stations"][0], id=f"S{i}") for i in range(5000)]
    file = tmp_path / "many.yaml"
    file.write_text(yaml.safe_dump(data))
    result = invoke("validate", str(file), env={"POSTURE_MAX_RECORDS": "1000"})
    assert result.exit_code == 2
    assert "stations: records: 5,000 exceeds the limit of 1,000" in result.stderr


# --- side files stay inside the instance folder ---------------------------------------------


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """tmp/inst/ holds the instance; tmp/outside/ holds files it must not read."""
    data = yaml.safe_load(TINY.read_text())
    inside, outside = tmp_path / "inst", tmp_path / "outside"
    inside.mkdir()
    outside.mkdir()
    stations = "id,capability,lat,lon,radius_km\nS1,air_patrol,48.1,37.0,100\n"
    (outside / "stations.csv").write_text(stations)
    (inside / "stations.csv").write_text(stations)
    (outside / "parent.yaml").write_text(yaml.safe_dump(data))
    del data["stations"]
    (inside / "base.yaml").write_text(yaml.safe_dump(data))
    return inside


def refer(layout: Path, **fields: str) -> Path:
    data = yaml.safe_load((layout / "base.yaml").read_text())
    data.update(fields)
    file = layout / "case.yaml"
    file.write_text(yaml.safe_dump(data))
    return file


@pytest.mark.parametrize(
    "name",
    [
        "../outside/stations.csv",
        "sub/../../outside/stations.csv",
        "/etc/passwd.csv",
        "link-out.csv",
        "linked-dir/stations.csv",
    ],
)
def test_side_files_outside_the_folder_are_refused(layout: Path, name: str) -> None:
    os.symlink(layout.parent / "outside" / "stations.csv", layout / "link-out.csv")
    os.symlink(layout.parent / "outside", layout / "linked-dir")
    file = refer(layout, stations=name)
    result = invoke("validate", str(file))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {file}: stations: side files must lie inside the instance folder\n"
    )


def test_extends_outside_the_folder_is_refused(layout: Path) -> None:
    file = refer(layout, extends="../outside/parent.yaml")
    result = invoke("validate", str(file))
    assert result.exit_code == 2 and "extends: side files must lie inside" in result.stderr


def test_a_symlink_inside_the_folder_is_fine(layout: Path) -> None:
    os.symlink(layout / "stations.csv", layout / "alias.csv")
    result = invoke("validate", str(refer(layout, stations="alias.csv")))
    assert result.exit_code == 0, result.stderr
