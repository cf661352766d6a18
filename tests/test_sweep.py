"""Sweeps: value lists, the grid, identical tables from every executor, interrupt and resume."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from optimizer.analysis.cases import TIMING, Case, load_base
from optimizer.analysis.executors import make_chains
from optimizer.analysis.params import ParameterError, parse_pair, parse_values, parse_vary
from optimizer.analysis.sweep import SweepInterrupted, run_sweep, sweep_cases
from optimizer.analysis.sweepdir import read_table
from optimizer.instance import load_instance
from optimizer.instance.changes import Change
from optimizer.model import solve

DATA = Path(__file__).parent / "data"
SMALL = DATA / "sens_small.yaml"
POSTURE = Path(sys.executable).with_name("posture")
# UK Typhoon units (0 and 3 leave no station: another variable layout) x one sector's weight
VARIES = (
    parse_vary("pools.UK-Typhoon.units=0,3,6,12,18,24"),
    parse_vary("sectors.F5.weight=0.5:2:0.5"),
)


def results_only(table: pd.DataFrame) -> pd.DataFrame:
    return table.drop(columns=list(TIMING)).reset_index(drop=True)


# --- values and cases --------------------------------------------------------------------------


def test_ranges_include_their_stop_and_lists_keep_their_text() -> None:
    assert parse_values("0:12:2") == ("0", "2", "4", "6", "8", "10", "12")
    assert parse_values("0:1:0.25") == ("0", "0.25", "0.5", "0.75", "1")
    assert parse_values("0.1:0.3:0.1") == ("0.1", "0.2", "0.3")
    assert parse_values("3:1") == ("3", "2", "1")
    assert parse_values("montreux,closed") == ("montreux", "closed")
    assert parse_pair("pools.X.units=6,24") == ("pools.X.units", "6", "24")
    for bad in ("1:5:-1", "1:5:0", "a,,b"):
        with pytest.raises(ParameterError):
            parse_values(bad)
    with pytest.raises(ParameterError):
        parse_vary("no-equals-sign")


def test_grid_is_the_full_product_last_field_fastest() -> None:
    cases = sweep_cases(VARIES)
    assert len(cases) == 6 * 4
    assert cases[0].params == {"pools.UK-Typhoon.units": "0", "sectors.F5.weight": "0.5"}
    assert cases[1].params == {"pools.UK-Typhoon.units": "0", "sectors.F5.weight": "1"}
    assert cases[-1].changes == (
        Change(("pools", "UK-Typhoon", "units"), 24),
        Change(("sectors", "F5", "weight"), 2),
    )
    assert [str(c) for c in cases[-1].changes] == [
        "pools.UK-Typhoon.units=24",
        "sectors.F5.weight=2",
    ]
    oat = sweep_cases(VARIES, one_at_a_time=True)
    assert len(oat) == 1 + 6 + 4  # the baseline, then each field alone
    assert oat[0].changes == () and oat[7].changes == (Change(("sectors", "F5", "weight"), 0.5),)
    assert oat[7].params["pools.UK-Typhoon.units"] == ""


def test_chains_are_fixed_blocks_resumed_from_the_stored_plan() -> None:
    cases = [Case(i, ()) for i in range(10)]
    chains = make_chains(cases, None, 4)
    assert [[c.index for c in ch.cases] for ch in chains] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    marker = object()
    chains = make_chains(cases, {0: None, 1: marker, 4: None}, 4)  # type: ignore[dict-item]
    assert [[c.index for c in ch.cases] for ch in chains] == [[2, 3], [5, 6, 7], [8, 9]]
    assert chains[0].start is marker and chains[1].start is None and chains[2].start is None


# --- executors ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def serial_sweep(tmp_path_factory: pytest.TempPathFactory):
    base = load_base(SMALL)
    return run_sweep(base, VARIES, results_dir=tmp_path_factory.mktemp("serial"), jobs=1)


def test_sweep_rows_are_the_solves_of_their_cases(serial_sweep) -> None:
    table = serial_sweep.table
    assert list(table["case"]) == list(range(24))
    assert (table["status"] == "optimal").all()
    row = table[(table["pools.UK-Typhoon.units"] == "18") & (table["sectors.F5.weight"] == "2")]
    direct = solve(
        load_instance(SMALL, ["pools.UK-Typhoon.units=18", "sectors.F5.weight=2"]), "highs"
    )
    assert float(row["objective"].iloc[0]) == pytest.approx(direct.objective)
    # more Typhoons never lower the objective at a fixed weight
    for _, group in table.groupby("sectors.F5.weight"):
        ordered = group.sort_values("pools.UK-Typhoon.units", key=lambda s: s.astype(int))
        assert ordered["objective"].is_monotonic_increasing
    # warm starts: used inside chains where the layout stays, never for a chain's first case
    assert table["warm_start"].any()
    assert not table.loc[table["case"] % 8 == 0, "warm_start"].any()
    assert not table.loc[table["pools.UK-Typhoon.units"] == "6", "warm_start"].iloc[0]


def test_jobs_and_a_dask_cluster_give_the_identical_table(serial_sweep, tmp_path: Path) -> None:
    from distributed import LocalCluster

    base = load_base(SMALL)
    two = run_sweep(base, VARIES, results_dir=tmp_path, jobs=2)
    with LocalCluster(
        n_workers=2, processes=False, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        dask = run_sweep(base, VARIES, results_dir=tmp_path, scheduler=cluster.scheduler_address)
    expected = results_only(serial_sweep.table)
    pd.testing.assert_frame_equal(results_only(two.table), expected)
    pd.testing.assert_frame_equal(results_only(dask.table), expected)
    assert two.folder != dask.folder  # never written over


def test_an_interrupted_sweep_keeps_its_rows_and_resumes_to_the_same_table(
    serial_sweep, tmp_path: Path
) -> None:
    seen = []

    def stop_after_five(result) -> None:
        seen.append(result.index)
        if len(seen) == 5:
            raise KeyboardInterrupt

    with pytest.raises(SweepInterrupted) as info:
        run_sweep(load_base(SMALL), VARIES, results_dir=tmp_path, on_row=stop_after_five)
    folder = info.value.folder
    assert info.value.finished == 5 and info.value.total == 24
    kept = read_table(folder / "cases.csv")
    assert sorted(kept["case"]) == seen
    # a hard kill can leave half a row: it is dropped and that case solved again
    with open(folder / "cases.csv", "a") as handle:
        handle.write("5,3,1,optim")
    resumed = run_sweep(None, resume=folder, jobs=2)
    assert resumed.skipped == 5 and resumed.ran == 19
    pd.testing.assert_frame_equal(results_only(resumed.table), results_only(serial_sweep.table))


def test_one_at_a_time_rows_start_from_the_baseline(tmp_path: Path) -> None:
    result = run_sweep(load_base(SMALL), VARIES[:1], one_at_a_time=True, results_dir=tmp_path)
    table = result.table
    assert list(table["varied"]) == ["(baseline)"] + ["pools.UK-Typhoon.units"] * 6
    baseline = table.iloc[0]
    assert baseline["objective"] == pytest.approx(solve(load_instance(SMALL), "highs").objective)
    same = table[table["pools.UK-Typhoon.units"] == "12"].iloc[0]  # the file's own value
    assert same["objective"] == baseline["objective"]


def test_invalid_values_become_rows_and_unknown_paths_fail_early(tmp_path: Path) -> None:
    base = load_base(SMALL)
    result = run_sweep(
        base, (parse_vary("pools.UK-Typhoon.units=-6,6"),), results_dir=tmp_path, jobs=1
    )
    assert list(result.table["status"]) == ["invalid", "optimal"]
    assert "pools.0.units" in result.table["message"].iloc[0]
    from optimizer.instance import InstanceError

    with pytest.raises(InstanceError, match="--vary"):
        run_sweep(base, (parse_vary("pools.UK-Typhon.units=6"),), results_dir=tmp_path)


# --- the command -------------------------------------------------------------------------------


def _rows(path: Path) -> int:
    return max(0, len(path.read_text().splitlines()) - 1) if path.is_file() else 0


def test_cli_sigterm_keeps_rows_exit_130_then_resume(serial_sweep, tmp_path: Path) -> None:
    args = [str(POSTURE), "sweep", str(SMALL), "--out", str(tmp_path), "--name", "sig"]
    args += ["--vary", "pools.UK-Typhoon.units=0,3,6,12,18,24"]
    args += ["--vary", "sectors.F5.weight=0.5:2:0.25", "--jobs", "2"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    table = None
    while time.monotonic() < deadline and proc.poll() is None:
        found = list(tmp_path.glob("sweep-sig*/cases.csv"))
        if found and _rows(found[0]) >= 3:
            table = found[0]
            break
        time.sleep(0.05)
    assert table is not None, "the sweep wrote no rows"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert err.count("\n") == 1 and err.startswith("interrupted:") and "--resume" in err
    kept = _rows(table)
    assert kept >= 3 and (table.parent / "sweep.json").read_text().count('"interrupted"') == 1
    done = subprocess.run(
        [str(POSTURE), "sweep", "--resume", str(table.parent), "--json"],  # --jobs 1
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no progress bar when stderr is not a terminal
    final = read_table(table)
    assert len(final) == 6 * 7 and list(final["case"]) == list(range(6 * 7))
    # the common cases agree with the smaller sweep solved in-process
    small = serial_sweep.table
    merged = final.merge(small, on=["pools.UK-Typhoon.units", "sectors.F5.weight"])
    assert len(merged) == 24
    assert (merged["objective_x"] == merged["objective_y"]).all()


def test_cli_bad_vary_is_exit_2(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from optimizer.cli import main

    runner = CliRunner()
    for extra in (["--vary", "pools.UK-Typhoon.units=1:5:-1"], ["--vary", "scenario.nope=1"], []):
        result = runner.invoke(main, ["sweep", str(SMALL), "--out", str(tmp_path), *extra])
        assert result.exit_code == 2, result.output
    assert not list(tmp_path.glob("sweep-*"))
    assert os.listdir(tmp_path) == []
