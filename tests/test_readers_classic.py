"""Readers of the classic formats: hand-made files with hand-computed optima, and bad files.

scp_tiny.txt (numbers run across line breaks): 4 rows, 5 columns of costs 3 2 2 4 1; row 1 is
covered by columns {1, 2}, row 2 by {1, 3}, row 3 by {2, 4, 5}, row 4 by {3, 4}. Row 1 needs
column 1 (3) or 2 (2), row 4 column 3 (2) or 4 (4): at least 4, and {2, 3} covers all: 4.

line5 (Swain, SJC and INFORMS layouts of the same data): nodes on a line at x = 0, 1, 2, 5, 6
with demands 10, 20, 30, 40, 5. With S = 1 the site at x = 1 covers 0, 1, 2 (60, the distance 1
counts as covered) and the site at 5 or 6 covers both (45): p = 1 gives 60, p = 2 gives 105.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.cli import main
from optimizer.instance import InstanceError
from optimizer.instance.formats import FormatUsage, infer_format, load_any
from optimizer.instance.mclp import read_mclp
from optimizer.instance.orlib import read_orlib_scp
from optimizer.model import build_model, solve
from tests.checking import assert_solution_verified, assert_verified, solve_verified

DATA = Path(__file__).parent / "data" / "classic"
SCP = DATA / "scp_tiny.txt"
LINE_FILES = ("line5.txt", "line5.coords.txt", "line5.informsjoc.txt")


def test_orlib_reader_builds_the_instance() -> None:
    inst = read_orlib_scp(SCP)
    assert inst.name == "scp_tiny"
    assert [s.id for s in inst.sectors] == ["r1", "r2", "r3", "r4"]
    assert [s.cost for s in inst.stations] == [3, 2, 2, 4, 1]
    covers = {s.id: s.covers for s in inst.stations}
    assert covers == {
        "c1": ("r1", "r2"),
        "c2": ("r1", "r3"),
        "c3": ("r2", "r4"),
        "c4": ("r3", "r4"),
        "c5": ("r3",),
    }
    sc = inst.scenario
    assert sc.objective.value == "min-cost" and not sc.tie_break
    assert not sc.enabled("C2") and sc.targets["air"] == 1.0


@pytest.mark.parametrize("solver", ["highs", "cbc", "ortools"])
def test_orlib_tiny_optimum(tmp_path: Path, solver: str) -> None:
    run = solve_verified(read_orlib_scp(SCP), tmp_path, solver)
    assert run.solution.status.value == "optimal"
    assert run.solution.objective == pytest.approx(4.0)
    assert sorted(run.report.tables["plan"]["station"]) == ["c2", "c3"]


@pytest.mark.parametrize("name", LINE_FILES)
@pytest.mark.parametrize(("p", "expected"), [(0, 0.0), (1, 60.0), (2, 105.0), (5, 105.0)])
def test_mclp_tiny_optimum(tmp_path: Path, name: str, p: int, expected: float) -> None:
    inst = read_mclp(DATA / name, 1.0, p)
    assert inst.name == f"line5-p{p}-S1"
    assert [s.weight for s in inst.sectors] == [10, 20, 30, 40, 5]
    assert inst.stations[1].covers == ("d1", "d2", "d3")  # distance exactly S is covered
    run = solve_verified(inst, tmp_path)
    assert run.solution.objective == pytest.approx(expected)


@pytest.mark.parametrize("solver", ["cbc", "ortools"])
def test_mclp_backends_agree(tmp_path: Path, solver: str) -> None:
    solution = solve(read_mclp(DATA / "line5.coords.txt", 1.0, 2), solver)
    assert solution.objective == pytest.approx(105.0)
    assert_solution_verified(solution, tmp_path)


def test_coverage_columns_stay_continuous() -> None:
    """Threshold mode, requirement 1, whole coefficients: y continuous (solver-notes.md)."""
    for inst in (read_orlib_scp(SCP), read_mclp(DATA / "line5.txt", 1.0, 2)):
        form, _ = build_model(inst)
        assert form.matrix.integer[form.x_slice].all()
        assert not form.matrix.integer[form.y_slice].any()
        assert len(form.phases) == 1  # tie_break off


def test_format_inference_and_usage() -> None:
    assert infer_format("x/scp41.txt") == "orlib-scp"
    assert infer_format("SJC324.coords.txt") == "mclp"
    assert infer_format("swain.dat") == "mclp"
    assert infer_format("baseline.yaml") == "posture"
    with pytest.raises(FormatUsage):
        load_any(SCP, "orlib-scp", radius=3.0)
    with pytest.raises(FormatUsage):
        load_any(DATA / "line5.txt", "mclp", radius=1.0)
    inst = load_any(SCP, overrides=["stations.c5.cost=7"])
    assert inst.stations[4].cost == 7


BAD_FILES = {
    "scp_truncated.txt": ("scp_truncated.txt", "costs", "expected 4 column costs"),
    "scp_badcolumn.txt": ("scp_badcolumn.txt", "row 2", "expected column numbers 1..3"),
    "scp_notnumber.txt": ("scp_notnumber.txt", "line 2", "expected a number"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_orlib_files(name: str) -> None:
    file, path, message = BAD_FILES[name]
    with pytest.raises(InstanceError) as err:
        read_orlib_scp(DATA / name)
    assert err.value.file.endswith(file) and err.value.path == path
    assert message in err.value.message


def test_bad_mclp_files(tmp_path: Path) -> None:
    with pytest.raises(InstanceError, match="header says 5 nodes, found 3"):
        read_mclp(DATA / "line_short.txt", 1.0, 1)
    coords = tmp_path / "lone.coords.txt"
    coords.write_text("1\n0 0\n")
    with pytest.raises(InstanceError, match=r"lone\.demand\.dat: no such file"):
        read_mclp(coords, 1.0, 1)
    (tmp_path / "lone.demand.dat").write_text("-3\n")
    with pytest.raises(InstanceError, match="node 1: expected a demand >= 0"):
        read_mclp(coords, 1.0, 1)


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_solve_and_verify_classic_files(tmp_path: Path) -> None:
    code, out, _ = cli("solve", str(SCP), "--json", "--out", str(tmp_path / "a"))
    assert code == 0 and '"objective": 4.0' in out
    (run_dir,) = (tmp_path / "a").iterdir()
    assert_verified(read_orlib_scp(SCP), run_dir)
    code, out, _ = cli("verify", str(SCP), str(run_dir))
    assert code == 0 and "VERIFIED" in out
    code, out, _ = cli(
        "solve", str(DATA / "line5.txt"), "--format", "mclp", "--radius", "1", "--stations", "2",
        "--solver", "cbc", "--json", "--out", str(tmp_path / "b"),
    )  # fmt: skip
    assert code == 0 and '"objective": 105.0' in out
    (run_dir,) = (tmp_path / "b").iterdir()
    code, _, _ = cli("verify", str(DATA / "line5.txt"), "--radius", "1", "--stations", "2",
                     str(run_dir))  # fmt: skip
    assert code == 0
    code, out, _ = cli("verify", str(DATA / "line5.txt"), "--radius", "1", "--stations", "1",
                       str(run_dir))  # fmt: skip
    assert code == 1 and "C1" in out and "differs from the one solved" in out


@pytest.mark.parametrize(
    "args",
    [
        ("--format", "mclp"),
        ("--format", "mclp", "--radius", "1"),
        ("--format", "orlib-scp", "--stations", "2"),
        ("--format", "posture", "--radius", "1", "--stations", "1"),
    ],
)
def test_cli_bad_format_combinations(args: tuple[str, ...]) -> None:
    code, _, err = cli("solve", str(SCP), "--no-write", *args)
    assert code == 2 and err.count("\n") == 1 and err.startswith("error: "), err


def test_cli_bad_benchmark_file_is_one_line() -> None:
    code, out, err = cli("solve", str(DATA / "scp_badcolumn.txt"), "--no-write")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "scp_badcolumn.txt: row 2:" in err
