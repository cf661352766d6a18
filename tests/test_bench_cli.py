"""posture bench on small hand-made data folders: verdicts, tables, --record, bad data (exit 2).

The folders mimic ../shared/benchmarks with the tiny files of tests/data/classic (optimum 4 for
the set covering file; 60 for p = 1 and 105 for p = 2 on the five-node line with S = 1, and
105 for every p >= 1 once S >= 5: from x = 1 every node lies within 5).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.bench.judge import judge
from optimizer.bench.suites import Case
from optimizer.cli import main

DATA = Path(__file__).parent / "data"
CLASSIC = DATA / "classic"


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["bench", *args])
    return result.exit_code, result.stdout, result.stderr


def orlib_folder(root: Path, known: str = "4", scp: str = "scp_tiny.txt") -> Path:
    folder = root / "orlib-scp"
    folder.mkdir(parents=True)
    (folder / "optima.csv").write_text(
        f"instance,optimal_or_best_known,source_note,status\nscp41,{known},hand,optimal\n"
        "scpnrg1,4,hand,best_known\n"
    )
    shutil.copy(CLASSIC / scp, folder / "scp41.txt")
    shutil.copy(CLASSIC / "scp_tiny.txt", folder / "scpnrg1.txt")
    return root


def test_orlib_suite_table_and_never_overwrite(tmp_path: Path) -> None:
    data = orlib_folder(tmp_path / "data")
    out = tmp_path / "out"
    code, stdout, _ = cli("--suite", "orlib", "--data", str(data), "--out", str(out))
    assert code == 0, stdout
    assert "scp41" in stdout and "total" in stdout
    code, _, _ = cli("--suite", "orlib", "--data", str(data), "--out", str(out))
    tables = sorted(out.glob("bench-*.csv"))
    assert code == 0 and len(tables) == 2
    (row,) = list(csv.DictReader(tables[0].open()))
    assert row["instance"] == "scp41" and float(row["found"]) == 4.0
    assert row["verdict"] == "ok" and row["verified"] == "True" and row["status"] == "optimal"


def test_wrong_known_optimum_fails(tmp_path: Path) -> None:
    data = orlib_folder(tmp_path / "data", known="3")
    code, stdout, err = cli("--suite", "orlib", "--data", str(data), "--out", str(tmp_path / "o"))
    assert code == 1 and "FAIL" in stdout and "1 of 1 failed" in err


def test_hard_suite_reports_against_best_known(tmp_path: Path) -> None:
    data = orlib_folder(tmp_path / "data")
    code, stdout, _ = cli(
        "--suite", "orlib-hard", "--data", str(data), "--out", str(tmp_path / "o")
    )
    assert code == 0
    assert "against best known values" in stdout and "scpnrg1" in stdout


def test_missing_data_folder_exits_2(tmp_path: Path) -> None:
    code, _, err = cli("--suite", "orlib", "--data", str(tmp_path / "nowhere"))
    assert code == 2 and "benchmark data folder not found" in err and err.count("\n") == 1


def test_bad_benchmark_file_exits_2_naming_it(tmp_path: Path) -> None:
    data = orlib_folder(tmp_path / "data", scp="scp_badcolumn.txt")
    code, stdout, err = cli("--suite", "orlib", "--data", str(data), "--out", str(tmp_path / "o"))
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and "scp41.txt: row 2: expected column numbers" in err
    assert not (tmp_path / "o").exists()


def test_missing_listed_file_exits_2(tmp_path: Path) -> None:
    data = orlib_folder(tmp_path / "data")
    (data / "orlib-scp" / "scp41.txt").unlink()
    code, _, err = cli("--suite", "orlib", "--data", str(data))
    assert code == 2 and "scp41.txt: no such file" in err


def mclp_folder(root: Path, reference: list[str]) -> Path:
    (root / "mclp" / "swain").mkdir(parents=True)
    (root / "mclp" / "sjc").mkdir()
    shutil.copy(CLASSIC / "line5.txt", root / "mclp" / "swain" / "swain.txt")
    shutil.copy(CLASSIC / "line5.coords.txt", root / "mclp" / "sjc" / "SJC324.coords.txt")
    shutil.copy(CLASSIC / "line5.demand.dat", root / "mclp" / "sjc" / "SJC324.demand.dat")
    head = "instance,nodes,p,S,covered_demand,total_demand,pct_covered,proven_optimal"
    (root / "mclp" / "reference_values.csv").write_text("\n".join([head, *reference]) + "\n")
    return root


def test_mclp_quick_suite(tmp_path: Path) -> None:
    data = mclp_folder(tmp_path / "data", ["swain,5,1,5,105,105,100,True"])
    code, stdout, _ = cli("--suite", "mclp", "--quick", "--data", str(data), "--jobs", "2",
                          "--out", str(tmp_path / "o"))  # fmt: skip
    assert code == 0, stdout
    assert stdout.count(" ok") == 1 and stdout.count("solved") == 15  # no reference: solved
    data = mclp_folder(tmp_path / "bad", ["swain,5,1,5,104,105,100,True"])
    code, stdout, _ = cli("--suite", "mclp", "--quick", "--data", str(data), "--out",
                          str(tmp_path / "o"))  # fmt: skip
    assert code == 1 and "FAIL" in stdout


def test_posture_record_then_drift(tmp_path: Path) -> None:
    instances = tmp_path / "instances"
    instances.mkdir()
    shutil.copy(DATA / "tiny.yaml", instances / "tiny.yaml")
    args = ("--suite", "posture", "--instances", str(instances), "--out", str(tmp_path / "o"))
    code, stdout, _ = cli(*args)
    assert code == 0 and "no recorded value for tiny.yaml" in stdout
    code, stdout, _ = cli(*args, "--record")
    assert code == 0 and "recorded" in stdout
    expected = (instances / "expected.csv").read_text()
    assert (
        expected == "instance,objective_kind,objective,solver\ntiny.yaml,max-coverage,1.0,highs\n"
    )
    code, stdout, _ = cli(*args)
    assert code == 0 and " ok" in stdout
    (instances / "expected.csv").write_text(expected.replace(",1.0,", ",0.5,"))
    code, stdout, _ = cli(*args)
    assert code == 1 and "DRIFT" in stdout


def test_record_needs_the_posture_suite(tmp_path: Path) -> None:
    data = orlib_folder(tmp_path / "data")
    code, _, err = cli("--suite", "orlib", "--data", str(data), "--record")
    assert code == 1 and "--suite posture" in err


def case(known: float | None, status: str = "optimal", must: bool = True) -> Case:
    return Case("s", "g", "n", "p", "orlib-scp", known=known, known_status=status, must_reach=must)


@pytest.mark.parametrize(
    ("c", "found", "status", "bound", "verdict", "failed"),
    [
        (case(10), 10, "optimal", 10, "ok", False),
        (case(10), 11, "time_limit", 9, "FAIL", True),
        (case(10), 10, "time_limit", 9, "FAIL", True),  # reached, not proven
        (case(10), 9, "optimal", 9, "FAIL", True),  # better than a proven optimum
        (case(10, "best_known", False), 11, "time_limit", 9.5, "gap", False),
        (case(10, "best_known", False), 9, "time_limit", 8, "improved", False),
        (case(10, "best_known", False), 10, "time_limit", 10.5, "FAIL", True),  # bound beyond
        (case(10, "best_known", False), 11, "optimal", 11, "FAIL", True),
        (case(10, "recorded"), 11, "optimal", 11, "DRIFT", True),
        (case(None, "", False), 3, "optimal", 3, "solved", False),
        (case(None, "", False), None, "infeasible", None, "FAIL", True),
    ],
)
def test_judge(c: Case, found, status, bound, verdict: str, failed: bool) -> None:
    assert judge(c, "min", found, status, bound)[:2] == (verdict, failed)
