"""Bad input, odd output places and impossible options: exit 2 and one line, nothing lost.

The README's contract (exit code 2, one line naming the file, the field and what was expected;
never a traceback; nothing silently dropped) for the families of defects a red-team pass found:
input silently lost (duplicate YAML keys, duplicate CSV columns, quoted newlines), hangs on
special files, impossible option values, odd output places, messages that point to the wrong
place. The toy instance is the complete example of docs/instance-format.md, read from there.
"""

from __future__ import annotations

import errno
import math
import os
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from optimizer.cli import main
from optimizer.instance import load_instance
from optimizer.instance.reader import InstanceError, read_csv_rows
from optimizer.solvers import OptionsError, SolverOptions

DOCS = Path(__file__).resolve().parents[1] / "docs" / "instance-format.md"
SECTORS_CSV = (
    "id,kind,order,start,end,lat,lon,length_mi,length_nm,weight,requirements.air_patrol,"
    "requirements.aew,requirements.training,requirements.naval_escort\n"
    "F01,front,1,47.485;34.411,47.437;35.274,47.462,34.843,61.4,,6.1,1,,1,\n"
    "F02,front,2,,,47.57,35.513,54.3,,5.4,1,,1,\n"
    "AIR-ZAP,air,,,,47.817,35.183,,,7,2,1,,\n"
    "SEA-L3,sea,,,,44.626,29.345,,76,10.6,,,,1\n"
)


def toy_text() -> str:
    """The complete example instance of docs/instance-format.md (mini.yaml)."""
    text = DOCS.read_text()
    start = text.index("# mini.yaml")
    return text[start : text.index("```", start)]


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    path.write_text(toy_text())
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def refused(*args: str) -> str:
    """The one line of a command that must exit 2."""
    code, out, err = run(*args)
    assert code == 2, (code, out, err)
    assert err.count("\n") == 1 and err.startswith("error: "), err
    return err.strip()


def variant(folder: Path, body: str, name: str = "case.yaml") -> Path:
    path = folder / name
    path.write_text(f"extends: mini.yaml\nname: case\n{body}")
    return path


# --- 2. input silently lost --------------------------------------------------------------------

DUPLICATE_YAML = {
    "top-level key": "scenario: {budget: 5}\nscenario: {budget: 6}\n",
    "list given twice": "pools: []\npools: []\n",
    "flag twice, nested": "scenario:\n  tie_break: true\n  straits: closed\n  tie_break: false\n",
    "inside a list element": "nations:\n  - {id: UK, littoral: true, littoral: false}\n",
    "deep mapping": "scenario:\n  montreux:\n    aggregate_t: 1\n    aggregate_t: 2\n",
    "flow mapping": "scenario: {straits: closed, straits: montreux}\n",
}


@pytest.mark.parametrize("label", sorted(DUPLICATE_YAML))
def test_yaml_key_given_twice_is_refused_naming_both_lines(
    toy: Path, tmp_path: Path, label: str
) -> None:
    path = variant(tmp_path, DUPLICATE_YAML[label])
    err = refused("validate", str(path))
    assert f"{path}: line " in err and "given twice (first at line " in err, err


def test_yaml_merge_keys_may_still_be_overridden(toy: Path, tmp_path: Path) -> None:
    path = variant(
        tmp_path,
        "defaults: &d {straits: closed, budget: 5}\nscenario:\n  <<: *d\n  budget: 7\n",
    )
    err = refused("validate", str(path))
    assert "defaults" in err and "unknown field" in err  # the anchor's key, not a duplicate


def test_duplicate_key_in_a_parent_file_names_the_parent(tmp_path: Path) -> None:
    (tmp_path / "mini.yaml").write_text(toy_text() + "\nname: again\n")
    path = variant(tmp_path, "")
    err = refused("validate", str(path))
    assert err.startswith(f"error: {tmp_path / 'mini.yaml'}: line "), err


def test_toml_key_given_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "case.toml"
    path.write_text("name = 'a'\nname = 'b'\n")
    assert refused("validate", str(path)).startswith(f"error: {path}: ")


def write_sectors(folder: Path, text: str) -> Path:
    (folder / "sectors.csv").write_bytes(text.encode() if isinstance(text, str) else text)
    return variant(folder, "sectors: sectors.csv\n")


@pytest.mark.parametrize(
    "header_edit, expected",
    [
        (lambda h: h + ",weight", "column 'weight' named twice (columns 10 and 15)"),
        (lambda h: h + ", id ", "column 'id' named twice (columns 1 and 15)"),
        (
            lambda h: h + ",requirements",
            "column 'requirements.air_patrol' fills part of column 'requirements'",
        ),
        (lambda h: h.replace("start", "requirements.aew.x"), "fills part of column"),
    ],
)
def test_csv_column_given_twice_is_refused(toy: Path, tmp_path: Path, header_edit, expected):
    header, rest = SECTORS_CSV.split("\n", 1)
    path = write_sectors(tmp_path, header_edit(header) + "\n" + rest)
    err = refused("validate", str(path))
    assert err.startswith(f"error: {tmp_path / 'sectors.csv'}: header, column "), err
    assert expected in err, err


def test_quoted_csv_cell_keeps_its_newline_and_comma(tmp_path: Path) -> None:
    text = 'id,name,lat\nA,"two\nlines, and a comma",1\n\nB,plain,2\n'
    (tmp_path / "t.csv").write_text(text)
    records, lines = read_csv_rows(tmp_path / "t.csv")
    assert records[0]["name"] == "two\nlines, and a comma"
    assert [r["id"] for r in records] == ["A", "B"] and lines == (2, 5)


def test_quoted_newline_survives_into_the_instance(toy: Path, tmp_path: Path) -> None:
    csv_text = SECTORS_CSV.replace(
        "F02,front,2,,,", "F02,front,2,,,47.57,35.513,54.3,,5.4,1,,1,\nF03,front,3,,,"
    )
    header, rest = csv_text.split("\n", 1)
    header = "name," + header
    rows = ['"Orikhiv,\nsouth",' + line if line else line for line in rest.split("\n")]
    path = write_sectors(tmp_path, header + "\n" + "\n".join(rows))
    instance = load_instance(path)
    assert instance.sectors[0].name == "Orikhiv,\nsouth"


# --- 5. hangs: special files, bounded reads ----------------------------------------------------


def test_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    began = time.perf_counter()
    err = refused("validate", str(fifo))
    assert time.perf_counter() - began < 1.0
    assert "expected a regular file, got a named pipe" in err


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_device_is_refused_at_once(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"{device} is not on this machine")
    began = time.perf_counter()
    err = refused("validate", device)
    assert time.perf_counter() - began < 1.0
    assert "expected a regular file, got a character device" in err


def test_fifo_as_side_file_and_as_parent_is_refused(toy: Path, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "sectors.csv")
    err = refused("validate", str(variant(tmp_path, "sectors: sectors.csv\n")))
    assert "sectors.csv: expected a regular file, got a named pipe" in err
    os.mkfifo(tmp_path / "parent.yaml")
    path = tmp_path / "child.yaml"
    path.write_text("extends: parent.yaml\nname: c\n")
    assert "got a named pipe" in refused("validate", str(path))


def test_reads_stop_at_the_size_limit(
    toy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSTURE_MAX_FILE_BYTES", "1000")
    big = tmp_path / "big.yaml"
    big.write_text("name: x\n" + "#" * 5000 + "\n")
    assert "bytes; the limit is 1,000" in refused("validate", str(big))
    # A file that grows after its size was read is still cut at the limit.
    from optimizer.instance import reader

    real_fstat = os.fstat

    def small_fstat(fd: int) -> os.stat_result:
        st = real_fstat(fd)
        if stat.S_ISREG(st.st_mode):
            values = list(st)
            values[stat.ST_SIZE] = 10
            return os.stat_result(values)
        return st

    monkeypatch.setattr(reader.os, "fstat", small_fstat)
    with pytest.raises(InstanceError, match="more than 1,001 bytes"):
        load_instance(big)


@pytest.mark.parametrize(
    "address, expected",
    [
        ("tcp://127.0.0.1:1", "no Dask scheduler at tcp://127.0.0.1:1"),
        ("nonsense", "expected HOST:PORT"),
        ("foo://host:1", "expected tcp://HOST:PORT"),
        ("tcp://host:99999", "port in 1..65535"),
        ("tcp://no-such-host.invalid:8786", "no Dask scheduler"),
    ],
)
def test_bad_scheduler_address_is_one_line_quickly(toy: Path, address: str, expected: str):
    began = time.perf_counter()
    err = refused("sweep", str(toy), "--vary", "scenario.budget=1,2", "--scheduler", address)
    assert time.perf_counter() - began < 8.0
    assert expected in err, err


# --- 6. impossible option values ---------------------------------------------------------------

BAD_OPTIONS = [
    ("--time-limit", "nan"),
    ("--time-limit", "inf"),
    ("--time-limit", "-1"),
    ("--time-limit", "0"),
    ("--time-limit", "1e308"),
    ("--gap", "nan"),
    ("--gap", "-0.1"),
    ("--gap", "inf"),
    ("--gap", "2"),
    ("--threads", "100000"),
    ("--threads", "0"),
    ("--seed", "-1"),
    ("--seed", str(2**40)),
]


@pytest.mark.parametrize("option, value", BAD_OPTIONS)
def test_impossible_solver_option_is_refused(toy: Path, option: str, value: str) -> None:
    err = refused("solve", str(toy), "--no-write", option, value)
    assert option in err and "solve --help" in err, err


@pytest.mark.parametrize(
    "changes",
    [
        {"time_limit": float("nan")},
        {"time_limit": float("inf")},
        {"time_limit": -1.0},
        {"time_limit": 0.0},
        {"time_limit": 1e308},
        {"gap": float("nan")},
        {"gap": -1e-9},
        {"gap": 1.5},
        {"threads": 0},
        {"threads": 100_000},
        {"threads": 2.5},
        {"threads": True},
        {"seed": -1},
        {"seed": 2**31},
        {"time_limit": "10"},
    ],
)
def test_solver_options_refuse_impossible_values(changes: dict) -> None:
    with pytest.raises(OptionsError) as info:
        SolverOptions(**changes)
    assert info.value.option == next(iter(changes))


def test_solver_options_accept_their_range() -> None:
    SolverOptions(time_limit=0.01, gap=0.0, threads=1, seed=0)
    SolverOptions(time_limit=1e7, gap=1.0, threads=1024, seed=2**31 - 2)


def test_compare_tolerance_nan_is_refused(tmp_path: Path) -> None:
    err = refused("compare", str(tmp_path), str(tmp_path), "--tolerance", "nan")
    assert "--tolerance" in err


def test_bench_instances_pointing_nowhere_exits_2(tmp_path: Path) -> None:
    err = refused(
        "bench",
        "--suite",
        "posture",
        "--instances",
        str(tmp_path / "nowhere"),
        "--out",
        str(tmp_path / "out"),
    )
    assert "nowhere" in err and "--instances" in err


@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "1e999"])
def test_bench_reference_value_must_be_finite(toy: Path, tmp_path: Path, value: str) -> None:
    (tmp_path / "expected.csv").write_text(
        f"instance,objective_kind,objective,solver\nmini.yaml,max-coverage,{value},highs\n"
    )
    err = refused(
        "bench", "--suite", "posture", "--instances", str(tmp_path), "--out", str(tmp_path / "o")
    )
    assert "expected.csv: line 2, column objective: expected a finite number" in err


def test_two_vary_of_one_field_are_refused(toy: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    err = refused(
        "sweep",
        str(toy),
        "--vary",
        "pools.0.units=1,2",
        "--vary",
        "pools.UK-TYPHOON.units=3",
        "--out",
        out,
    )
    assert "varies the same field" in err
    err = refused(
        "sweep",
        str(toy),
        "--vary",
        "scenario.budget=1",
        "--vary",
        "scenario.budget=2",
        "--out",
        out,
    )
    assert "varies the same field" in err
    assert not Path(out).exists()


def chain(folder: Path, files: int) -> Path:
    """A chain of ``files`` instance files, the last extending ... the first (mini.yaml)."""
    (folder / "mini.yaml").write_text(toy_text())
    parent = "mini.yaml"
    for i in range(1, files):
        (folder / f"v{i}.yaml").write_text(f"extends: {parent}\nname: v{i}\n")
        parent = f"v{i}.yaml"
    return folder / parent


def test_extends_depth_limit_is_the_documented_eight_files(tmp_path: Path) -> None:
    assert "a chain deeper than 8 files is refused" in " ".join(DOCS.read_text().split())
    assert load_instance(chain(tmp_path, 8)).name == "v7"
    with pytest.raises(InstanceError, match="longer than 8 files"):
        load_instance(chain(tmp_path, 9))


# --- 4. odd output places ----------------------------------------------------------------------

OUTPUT_COMMANDS = {
    "solve": lambda toy, out: ["solve", str(toy), "--out", out],
    "sweep": lambda toy, out: ["sweep", str(toy), "--vary", "scenario.budget=1", "--out", out],
    "sensitivity": lambda toy, out: ["sensitivity", str(toy), "--out", out],
    "bench": lambda toy, out: [
        "bench",
        "--suite",
        "posture",
        "--instances",
        str(toy.parent),
        "--out",
        out,
    ],
    "generate": lambda toy, out: ["generate", "--sectors", "5", "--out", out + "/g.yaml"],
    "contributions": lambda toy, out: ["contributions", str(toy), "--out", out],
    "attack": lambda toy, out: ["attack", str(toy), "--bases", "1", "--out", out],
    "tradeoff": lambda toy, out: ["tradeoff", str(toy), "--out", out],
    "montecarlo": lambda toy, out: ["montecarlo", str(toy), "--samples", "2", "--out", out],
}


@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
@pytest.mark.parametrize("place", ["/dev/null", "file", "file/below"])
def test_odd_output_place_is_refused_before_any_work(
    toy: Path, tmp_path: Path, command: str, place: str
) -> None:
    (tmp_path / "file").write_text("keep me\n")
    out = place if place.startswith("/") else str(tmp_path / place)
    began = time.perf_counter()
    err = refused(*OUTPUT_COMMANDS[command](toy, out))
    assert time.perf_counter() - began < 5.0  # refused before solving anything
    assert "--out" in err and ("expected a folder" in err or "not a folder" in err), err
    assert (tmp_path / "file").read_text() == "keep me\n"


@pytest.mark.parametrize("command", sorted(OUTPUT_COMMANDS))
@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.ENOSPC])
def test_unwritable_output_folder_is_refused(
    toy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, code: int
) -> None:
    """A read-only, forbidden or full place (simulated: tests may run as root)."""
    from optimizer.cli import outputs

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(outputs.tempfile, "mkstemp", refuse)
    err = refused(*OUTPUT_COMMANDS[command](toy, str(tmp_path / "out")))
    assert "cannot write there" in err, err
    assert not (tmp_path / "out").exists()


def test_disk_full_while_writing_the_run_folder_is_exit_2(
    toy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from optimizer.results import writer

    def full(frame: object, path: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(writer, "write_csv", full)
    err = refused("solve", str(toy), "--out", str(tmp_path / "out"))
    assert "no space left on the device" in err and str(tmp_path / "out") in err
    assert not any((tmp_path / "out").iterdir())  # the half-written folder is gone


# --- 7. messages that point to the right place -------------------------------------------------


def test_utf8_byte_order_mark_is_accepted(toy: Path, tmp_path: Path) -> None:
    path = write_sectors(tmp_path, b"\xef\xbb\xbf" + SECTORS_CSV.encode())
    assert [s.id for s in load_instance(path).sectors] == ["F01", "F02", "AIR-ZAP", "SEA-L3"]
    bom_yaml = tmp_path / "bom.yaml"
    bom_yaml.write_bytes(b"\xef\xbb\xbf" + toy.read_bytes())
    assert load_instance(bom_yaml).name == "mini"


def test_row_numbers_count_blank_lines_and_quoted_newlines(toy: Path, tmp_path: Path) -> None:
    lines = SECTORS_CSV.splitlines()
    bad = lines[4].replace("10.6", "-1")
    text = "\n".join([lines[0], "", lines[1], '"F02"' + lines[2][3:], "", "", lines[3], bad])
    path = write_sectors(tmp_path, text + "\n")
    err = refused("validate", str(path))
    assert "sectors.csv: row 8, column weight" in err, err
    quoted = text.replace("F01,front,1,", "F01,front,1,", 1).replace(lines[0], "name," + lines[0])
    rows = quoted.split("\n")
    rows = [rows[0]] + [('"a\nb",' + r if r else r) for r in rows[1:]]
    path = write_sectors(tmp_path, "\n".join(rows) + "\n")
    err = refused("validate", str(path))
    assert "sectors.csv: row 11, column weight" in err, err  # where the two-line record starts


def test_side_file_named_by_set_is_blamed_for_its_errors(toy: Path, tmp_path: Path) -> None:
    lines = SECTORS_CSV.splitlines()
    (tmp_path / "other.csv").write_text("\n".join([*lines[:4], lines[4].replace("10.6", "-1")]))
    err = refused("validate", str(toy), "--set", "sectors=other.csv")
    assert err.startswith(f"error: {tmp_path / 'other.csv'}: row 5, column weight"), err
    instance = load_instance(toy, ["sectors=other.csv", "sectors.SEA-L3.weight=3"])
    assert instance.sectors[3].weight == 3


@pytest.mark.parametrize(
    "args, expected",
    [
        (["solve"], "Missing argument"),
        (["solve", "x.yaml", "--bogus"], "No such option '--bogus'"),
        (["frobnicate"], "No such command"),
        (["solve", "x.yaml", "--solver", "gurobi"], "'--solver'"),
        (["verify", "a", "b", "c"], "at most two paths"),
        (["sweep", "x.yaml", "--jobs", "0"], "'--jobs'"),
    ],
)
def test_click_usage_errors_are_one_line(args: list[str], expected: str) -> None:
    err = refused(*args)
    assert expected in err and "--help" in err, err


# --- 3. references that validate but mean nothing ----------------------------------------------


@pytest.mark.parametrize(
    "override",
    [
        "scenario.us_nation=USA",
        "scenario.us_nation=us",
        "scenario.us_nation=GB",
    ],
)
def test_us_nation_must_name_a_nation(toy: Path, override: str) -> None:
    err = refused("validate", str(toy), "--set", override)
    assert "scenario.us_nation: expected an existing nation id" in err


def test_an_instance_without_the_us_keeps_the_default(tmp_path: Path) -> None:
    """No nation called US and no us_nation given: an instance without the US (benchmark
    files, generated ones); naming the US nation explicitly works as before."""
    text = toy_text().replace("{id: US,", "{id: USA,").replace("nation: US,", "nation: USA,")
    (tmp_path / "mini.yaml").write_text(text)
    none = ["scenario.us_participation=none"]
    assert load_instance(tmp_path / "mini.yaml", none).nations[0].id == "USA"
    renamed = load_instance(tmp_path / "mini.yaml", ["scenario.us_nation=USA", *none])
    assert renamed.scenario.us_nation == "USA"


def test_c5_cannot_be_switched_off(toy: Path) -> None:
    err = refused("validate", str(toy), "--set", "scenario.constraints.C5=false")
    assert "scenario.constraints" in err and "C5 cannot be switched off" in err
    assert load_instance(toy, ["scenario.constraints.C5=true"]).scenario.enabled("C5")


def test_every_accepted_switch_acts(toy: Path) -> None:
    """Switching a family off relaxes the model: never a lower optimum; C7 off under
    us_participation none gives back the full-US answer (29.1 instead of 10.6)."""
    from optimizer.model import solve

    def optimum(*overrides: str) -> float:
        solution = solve(load_instance(toy, list(overrides)), "highs")
        assert solution.objective is not None
        return solution.objective

    none = optimum("scenario.us_participation=none")
    assert math.isclose(none, 10.6, abs_tol=1e-6)
    assert math.isclose(
        optimum("scenario.us_participation=none", "scenario.constraints.C7=false"),
        29.1,
        abs_tol=1e-6,
    )
    # Calling UK the US moves the limit from the US pools to the UK ones (the US F16, E3 and
    # tanker become ordinary pools, the UK Typhoons and trainers need the US): another answer.
    assert math.isclose(
        optimum("scenario.us_nation=UK", "scenario.us_participation=none"), 14.1, abs_tol=1e-6
    )
    for family in ("C1", "C2", "C3", "C4", "C6", "C8", "C9", "C10", "C11"):
        off = optimum("scenario.us_participation=none", f"scenario.constraints.{family}=false")
        assert off >= none - 1e-6, family
    assert optimum("scenario.us_participation=none", "scenario.constraints.C3=false") > none


# --- 9. verify trusts no tampered run folder ---------------------------------------------------


def solved_run(toy: Path, tmp_path: Path) -> Path:
    code, _, err = run("solve", str(toy), "--out", str(tmp_path / "runs"), "--no-us-dependency")
    assert code == 0, err
    (folder,) = (tmp_path / "runs").iterdir()
    return folder


def test_verify_fails_when_instance_json_was_edited(toy: Path, tmp_path: Path) -> None:
    folder = solved_run(toy, tmp_path)
    assert run("verify", str(folder))[0] == 0
    instance_json = folder / "instance.json"
    text = instance_json.read_text()
    instance_json.write_text(
        text.replace('"units":7,', '"units":70,').replace('"units": 7,', '"units": 70,')
    )
    assert instance_json.read_text() != text  # limits raised
    plan = folder / "plan.csv"
    lines = plan.read_text().splitlines()
    plan.write_text("\n".join([*lines, lines[1]]) + "\n")  # a station added
    code, out, _ = run("verify", str(folder))
    assert code == 1 and "not the instance that was solved" in out and "FAILED" in out, out
    # Naming the instance to check against: judged on the merits (the extra station breaks C1).
    code, out, _ = run("verify", str(toy), str(folder))
    assert code == 1 and "not the instance that was solved" not in out, out


def test_verify_fails_without_a_recorded_hash(toy: Path, tmp_path: Path) -> None:
    import json

    folder = solved_run(toy, tmp_path)
    record = json.loads((folder / "run.json").read_text())
    del record["instance_hash"]
    (folder / "run.json").write_text(json.dumps(record))
    code, out, _ = run("verify", str(folder))
    assert code == 1 and "records no instance hash" in out, out
    assert run("verify", str(toy), str(folder))[0] == 0  # the instance named: plan is fine


# --- 4 and 7: --set paths with odd characters, values blamed on the item that set them --------


@pytest.mark.parametrize(
    "item, expected",
    [
        ("pools..units=3", "--set: pools..units: expected a field path without empty parts"),
        ("pools.UK-TYPHOON.=3", "without empty parts"),
        ("scenario.budget.x.y=1", "--set: scenario.budget.x: cannot descend into null"),
        ("pools.*.units=3", "--set: pools.*: expected a list position or an element id"),
        ("scenario.budget=&a", "--set scenario.budget=&a: scenario.budget: "),
        ("scenario.budget=!!str", "--set scenario.budget=!!str: scenario.budget: "),
        ("pools.UK-TYPHOON.units=abc", "--set pools.UK-TYPHOON.units=abc: pools.0.units: "),
        ("pools.-1.units=1e999", "--set pools.-1.units=1e999: pools.5.units: "),
        ("scenario.us_nation=USA", "--set scenario.us_nation=USA: scenario.us_nation: expected"),
        ("pools.0.nation=XX", "--set pools.0.nation=XX: pools.0.nation: expected an existing"),
        ("scenario=5", "--set scenario=5: scenario: "),
        ("sc\u20acnario.x=1", "sc\u20acnario: unknown field"),
    ],
)
def test_set_errors_name_the_item_at_fault(toy: Path, item: str, expected: str) -> None:
    err = refused("validate", str(toy), "--set", item)
    assert expected in err, err


def test_set_into_side_file_records_blames_the_item_not_the_row(toy: Path, tmp_path: Path):
    path = write_sectors(tmp_path, SECTORS_CSV)
    err = refused("validate", str(path), "--set", "sectors.SEA-L3.weight=-1")
    assert err.startswith("error: --set sectors.SEA-L3.weight=-1: sectors.3.weight: "), err
    bad_row = SECTORS_CSV.replace("10.6,,,,1", "-2,,,,1")
    path = write_sectors(tmp_path, bad_row)
    err = refused("validate", str(path), "--set", "sectors.F01.weight=3")
    assert "sectors.csv: row 5, column weight" in err, err  # the file's own bad cell


def test_cell_longer_than_the_csv_field_limit_is_read(toy: Path, tmp_path: Path) -> None:
    import csv

    long_name = "x" * (csv.field_size_limit() + 10)
    header, rest = SECTORS_CSV.split("\n", 1)
    rows = rest.splitlines()
    text = "\n".join(["source," + header, *[f'"{long_name}",' + r for r in rows]]) + "\n"
    path = write_sectors(tmp_path, text)
    err = refused("validate", str(path))  # the cell is read whole, then judged by the schema
    assert "sectors.csv: row 2, column source" in err and "at most 2000 characters" in err, err


@pytest.mark.parametrize(
    "args, expected",
    [
        (["generate", "--sectors", str(10**12), "--out", "g.yaml"], "--sectors 1,000,000,000,000"),
        (["generate", "--sectors", "5", "--pools", str(10**9), "--out", "g.yaml"], "--pools"),
        (["sweep", "x.yaml", "--vary", "a=1", "--jobs", str(10**9)], "'--jobs'"),
        (["sweep", "x.yaml", "--vary", "a=1", "--chain-length", str(10**20)], "--chain-length"),
        (["bench", "--jobs", str(10**8)], "'--jobs'"),
    ],
)
def test_huge_counts_are_refused_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    began = time.perf_counter()
    assert expected in refused(*args)
    assert time.perf_counter() - began < 5.0 and not (tmp_path / "g.yaml").exists()


def test_run_folder_files_are_read_like_instance_files(toy: Path, tmp_path: Path) -> None:
    folder = solved_run(toy, tmp_path)
    (folder / "plan.csv").unlink()
    os.mkfifo(folder / "plan.csv")
    began = time.perf_counter()
    err = refused("verify", str(folder))
    assert time.perf_counter() - began < 5.0 and "plan.csv: expected a regular file" in err
