"""Monte Carlo (SPEC 10 D3): zero-width ranges give the single solve; seeded; resumable."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from optimizer.analysis.batch import base_of
from optimizer.analysis.montecarlo import inputs_of, run_montecarlo
from optimizer.model.solve import solve
from tests.builders import front, make, on, pool


def uncertain(zero_width: bool = False):
    sectors = [front(i, weight=w) for i, w in enumerate((1.0, 2.0, 3.0))]
    instance = make(
        sectors,
        [on(s) for s in sectors],
        [pool("UK-P", "UK", units=2, ups=1), pool("FR-P", "FR", units=1, ups=1)],
    )
    data = instance.model_dump(mode="json")
    data["uncertainty"] = {
        "pools.UK-P.units": {"low": 2 if zero_width else 0, "high": 2, "source": "test"},
        "sectors.F0.weight": {"low": 1.0 if zero_width else 0.5, "high": 1.0, "source": "test"},
    }
    return type(instance).model_validate(data)


def test_zero_width_ranges_equal_the_single_solve(tmp_path) -> None:
    instance = uncertain(zero_width=True)
    result = run_montecarlo(base_of(instance), samples=5, results_dir=tmp_path)
    single = solve(instance).objective
    assert result.samples["objective"].tolist() == pytest.approx([single] * 5)
    q = result.quantiles.set_index("metric")
    assert q.loc["objective", ["p10", "p50", "p90"]].tolist() == pytest.approx([single] * 3)
    for name in ("samples.csv", "quantiles.csv", "correlations.csv", "montecarlo.json"):
        assert (result.folder / name).is_file()


def test_draws_are_seeded_whole_where_nominal_is_whole_and_resumable(tmp_path) -> None:
    instance = uncertain()
    assert [i.whole for i in inputs_of(instance)] == [True, False]
    path = tmp_path / "inst.yaml"
    path.write_text(json.dumps(instance.model_dump(mode="json")))
    one = run_montecarlo(base_of(path), samples=12, seed=4, results_dir=tmp_path / "a")
    two = run_montecarlo(base_of(path), samples=12, seed=4, results_dir=tmp_path / "b")
    columns = ["case", "pools.UK-P.units", "sectors.F0.weight", "objective"]
    pd.testing.assert_frame_equal(one.samples[columns], two.samples[columns])
    assert set(one.samples["pools.UK-P.units"]) <= {0, 1, 2}
    # fewer units never help: the objective does not fall as UK's units rise (rank correlation)
    corr = one.correlations.set_index("input")
    assert corr.loc["pools.UK-P.units", "rho_objective"] > 0
    # resume: cut the table back to 5 draws, finish, and get the same table
    cases = one.folder / "cases.csv"
    lines = cases.read_text().splitlines(keepends=True)
    cases.write_text("".join(lines[:6]))
    again = run_montecarlo(None, resume=one.folder)
    assert again.skipped == 5 and again.ran == 7
    pd.testing.assert_frame_equal(again.samples[columns], one.samples[columns])


def test_cli_montecarlo(tmp_path) -> None:
    from click.testing import CliRunner

    from optimizer.cli import main

    path = tmp_path / "inst.yaml"
    path.write_text(json.dumps(uncertain().model_dump(mode="json")))
    result = CliRunner().invoke(
        main, ["montecarlo", str(path), "--samples", "4", "--out", str(tmp_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["draws"] == 4 and {q["metric"] for q in payload["quantiles"]} >= {"objective"}
    plain = tmp_path / "plain.yaml"
    data = uncertain().model_dump(mode="json")
    data["uncertainty"] = {}
    plain.write_text(json.dumps(data))
    none = CliRunner().invoke(main, ["montecarlo", str(plain), "--out", str(tmp_path)])
    assert none.exit_code == 2 and "uncertainty" in none.output
