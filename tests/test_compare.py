"""posture compare: two solve runs (or two sweeps) side by side, differences B - A."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from optimizer.analysis.cases import load_base
from optimizer.analysis.compare import CompareError, compare, load
from optimizer.analysis.params import parse_vary
from optimizer.analysis.sweep import run_sweep
from optimizer.api import solve_file
from optimizer.cli import main

SMALL = Path(__file__).parent / "data" / "sens_small.yaml"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("runs")
    full = solve_file(SMALL, results_dir=out).run_dir
    none = solve_file(SMALL, ["scenario.us_participation=none"], results_dir=out).run_dir
    assert full is not None and none is not None
    return full, none


def test_full_us_against_none(runs: tuple[Path, Path]) -> None:
    full, none = runs
    tables = compare(load(full), load(none))
    summary = tables["summary"].set_index("figure")
    a, b = summary.loc["objective", "a"], summary.loc["objective", "b"]
    assert b < a and summary.loc["objective", "b_minus_a"] == pytest.approx(b - a)
    assert summary.loc["scenario.us_participation", "b"] == "none"
    assert summary.loc["scenario.us_participation", "b_minus_a"] == "changed"
    assert summary.loc["scenario.straits", "b_minus_a"] == ""
    sectors = tables["sectors"]
    assert len(sectors) and (sectors["change"].abs() > 0).all()
    assert list(sectors["change"].abs()) == sorted(sectors["change"].abs(), reverse=True)
    front = sectors[sectors["kind"] == "front"]
    assert front["length_change"].sum() == pytest.approx(
        summary.loc["front_miles_covered", "b_minus_a"]
    )
    pools = tables["pools"].set_index("pool")
    us_pools = [p for p in pools.index if p.startswith(("US-", "PL-"))]  # PL needs a backstop
    assert us_pools and (pools.loc[us_pools, "units_used_b"] == 0).all()
    assert pools.loc["US-F35", "change"] == -pools.loc["US-F35", "units_used_a"]
    bases = tables["bases"]
    load_a = pd.read_csv(full / "bases.csv")["load"].sum()
    load_b = pd.read_csv(none / "bases.csv")["load"].sum()
    assert bases["change"].sum() == pytest.approx(load_b - load_a)


def test_a_run_against_itself_has_no_changes(runs: tuple[Path, Path]) -> None:
    tables = compare(load(runs[0]), load(runs[0]))
    assert tables["sectors"].empty and tables["pools"].empty and tables["bases"].empty
    numeric = [d for d in tables["summary"]["b_minus_a"] if isinstance(d, float)]
    assert numeric and all(d == 0 for d in numeric)


def test_sweeps_are_matched_on_their_parameters(tmp_path: Path) -> None:
    base = load_base(SMALL)
    a = run_sweep(base, (parse_vary("pools.UK-Typhoon.units=0,12"),), results_dir=tmp_path)
    b_base = load_base(SMALL, fixed=("scenario.straits=closed",))
    b = run_sweep(b_base, (parse_vary("pools.UK-Typhoon.units=0,12"),), results_dir=tmp_path)
    tables = compare(load(a.folder), load(b.folder / "cases.csv"))
    cases = tables["cases"]
    assert list(cases["pools.UK-Typhoon.units"]) == ["0", "12"]
    assert (cases["sea_coverage_change"] < 0).all()  # straits closed: fewer escorts
    assert (cases["objective_change"] == cases["objective_b"] - cases["objective_a"]).all()
    summary = tables["summary"].set_index("figure")
    assert summary.loc["cases", "b_minus_a"] == 0
    with pytest.raises(CompareError):
        compare(load(a.folder), load(tmp_path / "nothing-here"))


def test_cli_prints_markdown_and_writes_csv(runs: tuple[Path, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    out_dir = tmp_path / "cmp"
    result = runner.invoke(main, ["compare", str(runs[0]), str(runs[1]), "--out", str(out_dir)])
    assert result.exit_code == 0, result.output
    assert "## Sectors whose coverage changed" in result.output
    assert "| US-F35" in result.output
    for name in ("summary", "sectors", "pools", "bases"):
        assert (out_dir / f"{name}.csv").is_file()
    again = runner.invoke(main, ["compare", str(runs[0]), str(runs[1]), "--out", str(out_dir)])
    assert again.exit_code == 0 and (tmp_path / "cmp-2" / "summary.csv").is_file()
    sweep_file = tmp_path / "cases.csv"
    sweep_file.write_text("case,status,objective\n0,optimal,1\n")
    partial = runner.invoke(main, ["compare", str(sweep_file), str(sweep_file)])
    assert partial.exit_code == 2 and "not a sweep table" in partial.output
    header = "case,status,objective,front_miles_covered,air_coverage,sea_coverage"
    sweep_file.write_text(f"{header}\n0,optimal,1,2,3,4\n")
    mixed = runner.invoke(main, ["compare", str(runs[0]), str(sweep_file)])
    assert mixed.exit_code == 2 and "cannot compare" in mixed.output
