"""The flat API (``import optimizer as po``): typed results, typed changes, in-memory analyses.

The result's attributes and DataFrames must be the run folder's figures and tables; a typed
change must give the very instance the matching ``--set`` gives; every analysis must accept an
instance held in memory and agree with the command that reads a file.
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import optimizer as po
from optimizer.analysis.cases import load_base
from optimizer.analysis.sensitivity import Request, analyse
from optimizer.cli import main
from optimizer.instance import load_instance
from optimizer.instance.reader import content_hash

DATA = Path(__file__).parent / "data"
SMALL = DATA / "sens_small.yaml"
TABLES = ("sectors", "plan", "pools", "bases", "nations")


@pytest.fixture(scope="module")
def small() -> po.Instance:
    return po.load(SMALL)


@pytest.fixture(scope="module")
def result(small: po.Instance) -> po.Result:
    return po.solve(small)


def test_the_flat_names_are_exported_and_documented() -> None:
    for name in po.__all__:
        value = getattr(po, name)
        if name != "__version__":
            assert value.__doc__, f"po.{name} has no docstring"
    with pytest.raises(AttributeError):
        _ = po.no_such_name  # type: ignore[attr-defined]


def test_result_is_typed_and_frozen(result: po.Result) -> None:
    assert result.status is po.Status.OPTIMAL and result.proven_optimal
    assert isinstance(result.objective, float) and result.best_bound is not None
    assert result.objective == pytest.approx(result.best_bound, rel=1e-6)
    assert result.gap is not None and result.gap <= 1e-6
    assert result.front_miles_covered is not None
    assert 0 < result.front_miles_covered <= result.front_miles_total
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.objective = 0.0  # type: ignore[misc]
    for name in TABLES:
        assert isinstance(getattr(result, name), pd.DataFrame)
    text = repr(result)
    assert "\n" not in text and len(text) < 200 and "optimal" in text
    assert "<table>" in result._repr_html_() and "proven optimal" in result._repr_html_()
    assert result.summary().startswith("posture: sens-small")


def test_result_fields_equal_the_run_folder(result: po.Result, tmp_path: Path) -> None:
    folder = result.to_folder(tmp_path)
    record = json.loads((folder / "run.json").read_text())
    summary = json.loads((folder / "summary.json").read_text())
    for key in ("objective", "best_bound", "gap"):
        assert getattr(result, key) == pytest.approx(record[key], rel=1e-12, abs=1e-12)
    assert result.status.value == record["status"] == summary["status"]
    for key in (
        "front_miles_covered",
        "front_miles_total",
        "longest_uncovered_miles",
        "air_coverage",
        "sea_coverage",
        "stations_placed",
        "cost",
    ):
        assert getattr(result, key) == pytest.approx(summary[key], rel=1e-12), key
    for name in TABLES:
        on_disk = pd.read_csv(folder / f"{name}.csv")
        in_memory = getattr(result, name)
        assert list(on_disk.columns) == list(in_memory.columns), name
        assert len(on_disk) == len(in_memory), name
        # both through a CSV reader, so empty text reads as on disk (NaN)
        reread = pd.read_csv(io.StringIO(in_memory.to_csv(index=False)))
        pd.testing.assert_frame_equal(on_disk, reread, check_dtype=False, rtol=1e-9)
    assert (folder / "summary.txt").read_text() == result.summary() + "\n"


def test_to_folder_writes_the_run_folder_of_posture_solve(
    result: po.Result, tmp_path: Path
) -> None:
    cli = CliRunner().invoke(main, ["solve", str(SMALL), "--out", str(tmp_path / "cli")])
    assert cli.exit_code == 0, cli.output
    (by_cli,) = (tmp_path / "cli").iterdir()
    by_api = result.to_folder(tmp_path / "api")
    assert sorted(p.name for p in by_cli.iterdir()) == sorted(p.name for p in by_api.iterdir())
    for name in TABLES:
        assert (by_cli / f"{name}.csv").read_text() == (by_api / f"{name}.csv").read_text()
    assert (by_cli / "instance.json").read_text() == (by_api / "instance.json").read_text()
    cli_record = json.loads((by_cli / "run.json").read_text())
    api_record = json.loads((by_api / "run.json").read_text())
    assert set(cli_record) == set(api_record)
    for key in ("status", "objective", "best_bound", "instance_hash", "options", "phases_planned"):
        assert cli_record[key] == api_record[key], key


@pytest.mark.parametrize(
    ("change", "item"),
    [
        (lambda i: i.with_scenario(us_participation="none"), "scenario.us_participation=none"),
        (lambda i: i.with_scenario(straits="closed"), "scenario.straits=closed"),
        (lambda i: i.with_pool("UK-Typhoon", units=30), "pools.UK-Typhoon.units=30"),
        (lambda i: i.with_pool("FR-Rafale", radius_km=500.5), "pools.FR-Rafale.radius_km=500.5"),
        (lambda i: i.with_base("LRCK", capacity={"aircraft": 6}),
         "bases.LRCK.capacity={aircraft: 6}"),
        (lambda i: i.with_nation("DE", accepts_presence_in_ukraine=True),
         "nations.DE.accepts_presence_in_ukraine=true"),
        (lambda i: i.with_sector("F5", weight=2), "sectors.F5.weight=2"),
        (lambda i: i.with_changes(po.Change.at("scenario.constraints.C8", False)),
         "scenario.constraints.C8=false"),
    ],
)  # fmt: skip
def test_typed_changes_equal_the_matching_set(small: po.Instance, change, item: str) -> None:
    typed = change(small)
    by_set = load_instance(SMALL, [item])
    assert typed == by_set and content_hash(typed) == content_hash(by_set)
    assert typed != small  # a new instance; the original is unchanged
    assert small == po.load(SMALL)


def test_typed_changes_are_validated_and_located(small: po.Instance) -> None:
    with pytest.raises(po.InstanceError, match=r"pools\.\d+\.units") as bad:
        small.with_pool("UK-Typhoon", units=-1)
    assert "instance sens-small" in str(bad.value)
    with pytest.raises(po.InstanceError, match=r"pools\.NOPE"):
        small.with_pool("NOPE", units=1)
    with pytest.raises(po.InstanceError, match=r"no nation"):
        small.without_nation("XX")


def test_without_a_nation_removes_its_pools_and_never_raises_the_optimum(
    small: po.Instance, result: po.Result
) -> None:
    no_us = small.without_nation("US")
    assert "US" not in {n.id for n in no_us.nations}
    assert not [p for p in no_us.pools if p.nation == "US"]
    assert len(no_us.pools) == len(small.pools) - len([p for p in small.pools if p.nation == "US"])
    res = po.solve(no_us)
    assert res.status is po.Status.OPTIMAL and result.objective is not None
    assert res.objective is not None and res.objective <= result.objective + 1e-6


def test_load_reads_every_format_the_cli_reads() -> None:
    scp = po.load(DATA / "classic" / "scp_tiny.txt")
    assert po.solve(scp).status is po.Status.OPTIMAL
    mclp = po.load(DATA / "classic" / "line5.coords.txt", radius=1.5, stations=1)
    assert po.solve(mclp).status is po.Status.OPTIMAL
    with pytest.raises(ValueError, match="radius"):
        po.load(DATA / "classic" / "line5.coords.txt", format="mclp")


def test_solve_takes_a_path_and_the_solver_options(result: po.Result) -> None:
    again = po.solve(SMALL, solver="highs", time_limit=60, gap=1e-6, threads=1, seed=0)
    assert again.objective == pytest.approx(result.objective)
    assert again.record["options"]["time_limit"] == 60
    with pytest.raises(po.SolverUnavailable):
        po.solve(SMALL, solver="nope")


def test_verify_and_compare_take_results_in_memory(small: po.Instance, result: po.Result) -> None:
    assert po.verify(small, result).ok
    no_us = po.solve(small.with_scenario(us_participation="none"))
    tables = po.compare(result, no_us, labels=["full", "none"])
    figures = tables["summary"].set_index("figure")
    assert figures.loc["objective", "b_minus_a"] == pytest.approx(
        no_us.objective - result.objective
    )
    assert figures.loc["scenario.us_participation", "b"] == "none"
    assert set(tables) == {"summary", "sectors", "pools", "bases"}


def test_sweep_in_memory(small: po.Instance) -> None:
    table = po.sweep(small, vary={"pools.UK-Typhoon.units": range(0, 19, 6)})
    assert list(table["pools.UK-Typhoon.units"]) == ["0", "6", "12", "18"]
    assert (table["status"] == "optimal").all()
    objective = list(table["objective"])
    assert objective == sorted(objective)  # adding an asset never lowers the optimum
    base = po.solve(small.with_pool("UK-Typhoon", units=12))
    assert objective[2] == pytest.approx(base.objective)


def test_sensitivity_in_memory_equals_the_file_path(small: po.Instance) -> None:
    request = Request(tables=("s1", "s3"), switches=("scenario.constraints.C8=false",))
    from_file = analyse(load_base(SMALL), request)
    in_memory = po.sensitivity(
        small, tables=("s1", "s3"), switches=[po.Change.at("scenario.constraints.C8", False)]
    )
    for name, frame in from_file.tables.items():
        pd.testing.assert_frame_equal(frame, in_memory.tables[name])
    assert in_memory.record["instance_file"] is None
    assert [c["overrides"] for c in in_memory.record["cases"]] == [
        c["overrides"] for c in from_file.record["cases"]
    ]


def test_without_a_nation_keeps_the_other_uncertainty_ranges() -> None:
    baseline = po.load(Path(__file__).resolve().parents[1] / "instances" / "baseline.yaml")
    for nation in baseline.nations:  # every nation can be withdrawn: the rest stays valid
        without = baseline.without_nation(nation.id)
        gone = {p.id for p in baseline.pools if p.nation == nation.id}
        assert not gone & {p.id for p in without.pools}
        kept = {
            path
            for path in baseline.uncertainty
            if path.split(".")[1] not in gone | {nation.id}
        }
        assert set(without.uncertainty) == kept
