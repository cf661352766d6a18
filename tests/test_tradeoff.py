"""Trade-offs (SPEC 9 A6): Pareto points are proven and non-dominated; budget curve monotone.

The instance: two front sectors and two air sectors; UK offers 2 patrols, every patrol covers
one sector. Front sectors weigh 2 and 1, air sectors 1.5 and 0.5. With 2 patrols the frontier
of (front, air) points is (3, 0), (2, 1.5), (0, 2): the ε-constraint finds the middle point.
"""

from __future__ import annotations

import pytest

from optimizer.analysis.batch import base_of
from optimizer.analysis.tradeoff import non_dominated, tradeoff
from tests.builders import air, front, make, on, pool


def instance():
    sectors = [front(0, weight=2.0), front(1, weight=1.0), air(2, weight=1.5), air(3, weight=0.5)]
    return make(sectors, [on(s) for s in sectors], [pool("UK-P", "UK", units=2, ups=1)])


def test_frontier_by_hand_and_non_dominated() -> None:
    result = tradeoff(base_of(instance()), steps=5, budget_steps=3)
    frame = result.frontier
    pairs = sorted(zip(frame["front_points"], frame["air_points"], strict=True))
    flat = [v for pair in pairs for v in pair]
    assert flat == pytest.approx([0.0, 2.0, 2.0, 1.5, 3.0, 0.0])
    assert (result.frontier["status"] == "optimal").all()
    assert non_dominated(result.frontier, "front", "air")
    budget = result.budget["objective"].tolist()
    assert budget == sorted(budget)  # more money never lowers the optimum


def test_cli_tradeoff(tmp_path) -> None:
    import json

    from click.testing import CliRunner

    from optimizer.cli import main

    path = tmp_path / "inst.yaml"
    path.write_text(json.dumps(instance().model_dump(mode="json")))
    args = ["tradeoff", str(path), "--points", "3", "--budget-points", "2", "--out", str(tmp_path)]
    result = CliRunner().invoke(main, [*args, "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert len(payload["frontier"]) >= 2 and len(payload["budget"]) == 2
    folder = tmp_path / next(p.name for p in tmp_path.iterdir() if p.is_dir())
    assert (folder / "tradeoff.json").is_file() and (folder / "frontier.csv").is_file()
    bad = CliRunner().invoke(main, ["tradeoff", str(path), "--axes", "front,front"])
    assert bad.exit_code == 2
