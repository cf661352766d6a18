"""posture generate: deterministic, valid, realistic in structure, solvable by every backend."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.cli import main
from optimizer.instance import SectorKind, load_instance
from optimizer.instance.generate import Size, generate_instance
from optimizer.model import solve
from optimizer.solvers import Status, available_backends


def _generate(folder: Path, *args: str) -> Path:
    out = folder / "inst.yaml"
    result = CliRunner().invoke(main, ["generate", "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_different_seed_different_files(tmp_path: Path) -> None:
    args = ("--sectors", "120", "--seed", "7")
    first = _bytes(_generate(tmp_path / "a", *args).parent)
    second = _bytes(_generate(tmp_path / "b", *args).parent)
    other = _bytes(_generate(tmp_path / "c", "--sectors", "120", "--seed", "8").parent)
    assert set(first) == {"inst.yaml", "inst.sectors.csv", "inst.stations.csv"}
    assert first == second
    assert first["inst.sectors.csv"] != other["inst.sectors.csv"]
    assert first["inst.stations.csv"] != other["inst.stations.csv"]


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    out = _generate(tmp_path, "--sectors", "30")
    before = out.read_bytes()
    again = CliRunner().invoke(main, ["generate", "--sectors", "40", "--out", str(out)])
    assert again.exit_code == 2
    assert "--force" in again.output
    assert out.read_bytes() == before
    forced = CliRunner().invoke(main, ["generate", "--sectors", "40", "--out", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    assert out.read_bytes() != before


def test_counts_and_structure(tmp_path: Path) -> None:
    out = _generate(
        tmp_path,
        *("--sectors", "200", "--stations", "90", "--pools", "14"),
        *("--bases", "9", "--nations", "8", "--seed", "1"),
    )
    inst = load_instance(out)
    assert (len(inst.sectors), len(inst.stations), len(inst.pools)) == (200, 90, 14)
    assert (len(inst.bases), len(inst.nations)) == (9, 8)
    front = [s for s in inst.sectors if s.kind is SectorKind.FRONT]
    assert [s.order for s in front] == list(range(1, len(front) + 1))
    assert all(s.start and s.end and s.length_mi for s in front)
    for a, b in itertools.pairwise(front):  # an ordered, connected polyline
        assert a.end == b.start
    assert all(s.length_nm for s in inst.sectors if s.kind is SectorKind.SEA)
    fighters = [p for p in inst.pools if p.capability == "air_patrol"]
    assert fighters and all(p.extended_radius_km > p.radius_km for p in fighters)
    us = {p.capability for p in inst.pools if p.nation == "US"}
    assert {"aew", "tanker", "isr"} <= us
    assert any(n.requires_us_backstop for n in inst.nations)
    assert any(n.littoral for n in inst.nations)
    assert any(s.covers for s in inst.stations)  # training teams list their stretch of front


def test_library_is_deterministic_too() -> None:
    size = Size.default(90)
    assert generate_instance(size, 5) == generate_instance(size, 5)
    assert generate_instance(size, 5) != generate_instance(size, 6)


@pytest.mark.parametrize("seed", [0, 11])
def test_small_instance_solves_to_optimality_and_backends_agree(tmp_path: Path, seed: int):
    out = _generate(tmp_path, "--sectors", "40", "--seed", str(seed))
    inst = load_instance(out)
    objectives = {}
    for backend in available_backends():
        result = solve(inst, backend)
        assert result.status is Status.OPTIMAL, (backend, result.message)
        objectives[backend] = result.objective
    assert "highs" in objectives
    reference = objectives["highs"]
    assert reference > 0
    for backend, value in objectives.items():
        assert value == pytest.approx(reference, rel=1e-6, abs=1e-6), backend
