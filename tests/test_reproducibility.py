"""Reproducibility: a run records what repeats it, and repeating it gives identical tables.

Each backend solves one generated posture instance twice, in two separate processes (so hash
randomisation and process state cannot hide behind one interpreter); the second run is the
command recorded in the first run's run.json. Every table must be byte-identical.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from optimizer.instance import Instance, content_hash, load_instance
from optimizer.instance.generate import Size, generate_instance

TABLES = ("plan.csv", "sectors.csv", "pools.csv", "bases.csv", "nations.csv")
RECORD_KEYS = (
    "instance_hash",
    "instance_file",
    "overrides",
    "options",
    "solver",
    "solver_version",
    "package_version",
    "seed",
    "threads",
    "dependencies",
    "scenario",
    "reproduce",
    "python",
    "platform",
)


@pytest.fixture(scope="module")
def instance_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = generate_instance(Size.default(60), seed=7)
    folder = tmp_path_factory.mktemp("repro")
    file = folder / "generated.yaml"
    file.write_text(yaml.safe_dump(Instance.model_validate(data).model_dump(mode="json")))
    return file


def run_cli(args: list[str], cwd: Path) -> Path:
    """Run ``posture`` in a fresh process (random hash seed); return the new run folder."""
    env = {**os.environ, "PYTHONHASHSEED": "random", "PYTHONPATH": str(Path.cwd())}
    before = set((cwd / "results").glob("*")) if (cwd / "results").exists() else set()
    done = subprocess.run(
        [sys.executable, "-m", "optimizer", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    [new] = set((cwd / "results").glob("*")) - before
    return new


@pytest.mark.parametrize("solver", ["highs", "cbc", "ortools"])
def test_same_instance_same_options_same_tables(instance_file: Path, solver: str) -> None:
    cwd = instance_file.parent
    options = ["--solver", solver, "--seed", "3", "--set", "scenario.us_participation=none"]
    first = run_cli(["solve", instance_file.name, *options], cwd)
    record = json.loads((first / "run.json").read_text())
    assert record["status"] == "optimal"
    assert len((first / "plan.csv").read_text().splitlines()) > 5  # a plan worth comparing
    for key in RECORD_KEYS:
        assert record.get(key) is not None, key
    assert record["seed"] == record["options"]["seed"] == 3
    assert record["threads"] == record["options"]["threads"] == 1
    assert record["instance_hash"] == content_hash(
        load_instance(instance_file, record["overrides"])
    )
    assert record["dependencies"]["highspy"] and record["dependencies"]["numpy"]
    argv = shlex.split(record["reproduce"])
    assert argv[:2] == ["posture", "solve"]
    second = run_cli(argv[1:], cwd)  # exactly the recorded command
    assert second != first
    for table in TABLES:
        assert (first / table).read_bytes() == (second / table).read_bytes(), table
    again = json.loads((second / "run.json").read_text())
    for key in ("objective", "instance_hash", "options", "solver_version", "overrides"):
        assert again[key] == record[key], key
