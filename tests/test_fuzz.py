"""Bad-input fuzzing: mutated versions of a realistic instance never crash, never hang.

Every case is solved (``posture solve --no-write``, in-process through CliRunner); a bad input
must give exit code 2 and one line, ``error: FILE: FIELD: message``; an input that is still
valid may solve (0) or be infeasible (1); never a traceback, never exit 1 for bad input, never
more than a few seconds. A handful of the worst cases also run through a real subprocess.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from optimizer.cli import main
from optimizer.instance import Instance, load_instance
from optimizer.instance.generate import Size, generate_instance

BASELINE = Path(__file__).resolve().parents[1] / "instances" / "baseline.yaml"
N_DATA = 300  # mutations of the parsed data
SECONDS = 15.0  # per case: a hang fails the test instead of blocking it
STATS: Counter[tuple[str, int]] = Counter()  # (kind of case, exit code) -> cases
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def base_data() -> dict[str, Any]:
    """instances/baseline.yaml when it is there and valid, else a generated posture instance."""
    try:
        return load_instance(BASELINE).model_dump(mode="json", exclude_defaults=True)
    except Exception:
        data = generate_instance(Size.default(12), seed=1)
        return Instance.model_validate(data).model_dump(mode="json", exclude_defaults=True)


def paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every path into ``node`` (mapping keys and list positions)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*prefix, key)
            yield from paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield (*prefix, i)
            yield from paths(value, (*prefix, i))


def put(data: Any, path: tuple, value: Any, delete: bool = False) -> None:
    for part in path[:-1]:
        data = data[part]
    if delete:
        del data[path[-1]]
    else:
        data[path[-1]] = value


WRONG = ["text", [], {}, True, None, 3.5, -1, [1, 2], {"a": 1}, "", "12abc", 0]
HUGE = [1e308, 10**30, float("inf"), float("-inf"), float("nan"), -1e9, -1, 1e-300, 2**63]
REFERENCE_FIELDS = ("nation", "capability", "bases", "covers", "us_nation")


def mutations(data: dict[str, Any], count: int, seed: int = 4) -> Iterator[tuple[str, Any]]:
    """(label, mutated data) pairs, reproducible from ``seed``."""
    rng = random.Random(seed)
    every = list(paths(data))
    leaves = [p for p in every if not isinstance(_get(data, p), dict | list)]
    refs = [p for p in every if any(str(part) in REFERENCE_FIELDS for part in p)]
    kinds: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
        ("delete", lambda d: put(d, rng.choice(every), None, delete=True)),
        ("wrong type", lambda d: put(d, rng.choice(every), rng.choice(WRONG))),
        ("extreme number", lambda d: put(d, rng.choice(leaves), rng.choice(HUGE))),
        ("unknown reference", lambda d: put(d, rng.choice(refs), "NO-SUCH-ID")),
        ("long string", lambda d: put(d, rng.choice(leaves), "x" * rng.choice([101, 5000, 10**5]))),
        ("unknown field", lambda d: put(d, (*rng.choice(every)[:-1], "colour"), "red")),
        ("duplicate id", _duplicate(rng)),
        ("empty list", lambda d: put(d, (rng.choice(["sectors", "pools", "bases"]),), [])),
    ]
    for i in range(count):
        label, mutate = kinds[i % len(kinds)]
        mutated = json.loads(json.dumps(data))
        try:
            mutate(mutated)
        except (KeyError, IndexError, TypeError):
            continue
        yield label, mutated


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def _duplicate(rng: random.Random) -> Callable[[dict[str, Any]], None]:
    def mutate(d: dict[str, Any]) -> None:
        field = rng.choice(["sectors", "stations", "pools", "bases", "nations"])
        d[field].append(dict(rng.choice(d[field])))

    return mutate


def text_cases(good: str) -> Iterator[tuple[str, bytes]]:
    """Broken files: syntax, encodings, junk, nesting and alias bombs."""
    rng = random.Random(9)
    yield "empty", b""
    yield "only spaces", b"   \n\n"
    yield "a list", b"- 1\n- 2\n"
    yield "a scalar", b"42\n"
    yield "binary junk", bytes(rng.randrange(256) for _ in range(4096))
    yield "nul byte", good.encode()[:200] + b"\x00" + good.encode()[200:]
    yield "latin-1", good.replace("name:", "name: caf\xe9 #", 1).encode("latin-1", "replace")
    yield "bom", b"\xef\xbb\xbf" + good.encode()
    yield "deep lists", b"name: " + b"[" * 20000 + b"]" * 20000 + b"\n"
    yield "deep maps", b"name: " + b"{a: " * 5000 + b"1" + b"}" * 5000 + b"\n"
    yield "alias bomb", _bomb().encode()
    yield "tab indent", good.replace("\n  ", "\n\t", 3).encode()
    yield "duplicate key", (good + "\nname: twice\n").encode()
    yield "python tag", b"name: !!python/object/apply:os.system ['true']\n"
    for cut in sorted(rng.sample(range(1, len(good)), 25)):
        yield f"truncated at {cut}", good[:cut].encode()
    for _ in range(25):
        at = rng.randrange(len(good))
        junk = rng.choice([":", "[", "{", "}", "]", "&", "*", "!", "%", "@", "`", "|", ">", "- "])
        yield f"junk {junk!r} at {at}", (good[:at] + junk + good[at:]).encode()


def _bomb(levels: int = 10) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + f"\nname: *a{levels - 1}\n"


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_case(file: Path, label: str, field_expected: bool, also: Path | None = None) -> int:
    """Solve ``file``; a refusal must be exit 2 and one line naming it (or the side file).

    Returns the exit code (0 solved, 1 infeasible and diagnosed, 2 refused), counted in STATS.
    """
    began = time.perf_counter()
    with deadline(SECONDS):
        result = CliRunner().invoke(
            # the US counterfactual re-solves (A1) are not what this checks: their time is not
            # the input handling's
            main,
            ["solve", str(file), "--no-write", "--time-limit", "5", "--no-us-dependency"],
            catch_exceptions=True,
        )
    where = f"{label}: {result.stderr!r}"
    assert time.perf_counter() - began < SECONDS, where
    assert result.exception is None or isinstance(result.exception, SystemExit), where
    assert "Traceback" not in result.output, where
    STATS[(kind_of(label), result.exit_code)] += 1
    if result.exit_code == 0 or (result.exit_code == 1 and "no plan" in result.stderr):
        return result.exit_code  # still a valid instance: solved, or infeasible and diagnosed
    assert result.exit_code == 2, where
    lines = result.stderr.splitlines()
    named = [f"error: {f}: " for f in (file, also) if f is not None]
    prefix = next((p for p in named if lines and lines[0].startswith(p)), None)
    assert len(lines) == 1 and prefix is not None, where
    if field_expected:
        field = lines[0][len(prefix) :].split(": ")[0]
        assert field and " " not in field.replace("row ", "").replace(", column ", ""), where
    return 2


def kind_of(label: str) -> str:
    """The kind of a case: its label without the position or number that makes it unique."""
    return label.split(" at ")[0].split(" #")[0]


def counted(kinds: set[str]) -> Counter[int]:
    """Exit codes counted so far for cases of these kinds."""
    out: Counter[int] = Counter()
    for (kind, code), n in STATS.items():
        if kind in kinds:
            out[code] += n
    return out


#: Mutations no valid instance survives: a second record with the same id, an empty list of
#: sectors, pools or bases.
ALWAYS_REFUSED = ("duplicate id", "empty list")


def test_mutated_instances_give_one_line_and_exit_2(tmp_path: Path) -> None:
    data = base_data()
    tried: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    for i, (label, mutated) in enumerate(mutations(data, N_DATA)):
        file = tmp_path / f"case{i}.yaml"
        file.write_text(yaml.dump(mutated, Dumper=DUMPER, allow_unicode=True))
        code = check_case(file, f"{label} #{i}", field_expected=True)
        tried[label] += 1
        refused[label] += code == 2
    assert tried.total() >= 0.9 * N_DATA
    for kind in ALWAYS_REFUSED:  # each of these must be refused, with exit code 2
        assert tried[kind] >= N_DATA // 8 - 5, (kind, tried)
        assert refused[kind] == tried[kind], (kind, refused[kind], tried[kind])
    # most mutations break the instance; only a few leave it valid (e.g. a text field set to
    # "text", a reference to an optional field removed)
    assert refused.total() >= 0.6 * tried.total(), refused
    stats = counted(set(tried))  # every case was counted, under its exit code
    assert stats.total() == tried.total() and stats[2] == refused.total()


#: Broken files that are never an instance: each must be refused with exit code 2.
ALWAYS_BROKEN = (
    "empty",
    "only spaces",
    "a list",
    "a scalar",
    "binary junk",
    "nul byte",
    "latin-1",
    "deep lists",
    "deep maps",
    "alias bomb",
    "tab indent",
    "duplicate key",  # YAML would keep only the last: refused, naming both lines
    "python tag",
)


def test_broken_files_give_one_line_and_exit_2(tmp_path: Path) -> None:
    good = yaml.safe_dump(base_data())
    # a file cut before its (required) stations list is never an instance
    stations_at = good.index("\nstations:")
    codes: dict[str, int] = {}
    must_refuse = []
    for i, (label, content) in enumerate(text_cases(good)):
        file = tmp_path / f"broken{i}.yaml"
        file.write_bytes(content)
        codes[label] = check_case(file, label, field_expected=False)
        cut = label.removeprefix("truncated at ")
        if label in ALWAYS_BROKEN or (cut.isdigit() and int(cut) <= stations_at):
            must_refuse.append(label)
    assert len(codes) == len(ALWAYS_BROKEN) + 1 + 25 + 25  # + the BOM, the cuts, the junk
    truncated = [label for label in must_refuse if label.startswith("truncated")]
    assert len(must_refuse) == len(ALWAYS_BROKEN) + len(truncated) and len(truncated) >= 10
    assert {label: codes[label] for label in must_refuse} == dict.fromkeys(must_refuse, 2)
    stats = counted({kind_of(label) for label in codes})  # every case was counted
    assert stats.total() == len(codes) and stats[2] == list(codes.values()).count(2)


def test_broken_side_files_and_toml(tmp_path: Path) -> None:
    data = base_data()
    stations = data.pop("stations")
    columns = sorted({k for s in stations for k in s if k not in ("covers",)})
    rows = [",".join(columns)]
    for s in stations:
        rows.append(",".join(str(s.get(c, "")) for c in columns))
    good_csv = "\n".join(rows) + "\n"
    cases = {
        "extra cells": good_csv + "a,b,c," * 10 + "\n",
        "no header": "",
        "bad number": good_csv.replace(",1,", ",one,", 1),
        "unknown column": good_csv.replace(columns[0], "colour", 1),
        "binary": "\x00\x01",
    }
    for i, (label, text) in enumerate(cases.items()):
        (tmp_path / f"st{i}.csv").write_text(text)
        file = tmp_path / f"side{i}.yaml"
        file.write_text(yaml.safe_dump({**data, "stations": f"st{i}.csv"}))
        check_case(file, f"csv {label}", field_expected=False, also=tmp_path / f"st{i}.csv")
    for i, text in enumerate(
        ["name = ", "[[pools]\nid = 1", "name = 'x'\n[scenario]\nbudget = -1"]
    ):
        file = tmp_path / f"t{i}.toml"
        file.write_text(text)
        check_case(file, f"toml {i}", field_expected=False)


SUBPROCESS_CASES = {
    "empty": b"",
    "binary": bytes(range(256)) * 8,
    "alias bomb": _bomb(12).encode(),
    "deep": b"name: " + b"[" * 100000 + b"]" * 100000,
    "truncated": b"name: x\nnations:\n  - {id: US\n",
    "negative": b"name: x\nnations: [{id: US}]\nbases: []\n",
}


@pytest.mark.parametrize("label", sorted(SUBPROCESS_CASES))
def test_real_process_exit_2_one_line(tmp_path: Path, label: str) -> None:
    file = tmp_path / "bad.yaml"
    file.write_bytes(SUBPROCESS_CASES[label])
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    done = subprocess.run(
        [sys.executable, "-m", "optimizer", "solve", str(file), "--no-write"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(f"error: {file}: ")
    assert "Traceback" not in done.stderr + done.stdout


# --- Reliability families (issue: no silent loss, no hang, no impossible option) --------------


def test_fuzz_duplicate_keys_anywhere_are_refused(tmp_path: Path) -> None:
    """One entry of a random mapping (any depth) written twice: refused, never kept silently."""
    root = yaml.compose(yaml.safe_dump(base_data(), sort_keys=False))
    mappings = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            mappings.append(node)
            stack.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    rng = random.Random(15)
    for n in range(40):
        node = rng.choice([m for m in mappings if m.value])
        pairs = list(node.value)
        key, value = rng.choice(pairs)
        twin = (key, rng.choice([value, yaml.ScalarNode("tag:yaml.org,2002:str", "other")]))
        node.value = [*pairs, twin] if rng.random() < 0.5 else [twin, *pairs]
        style, node.flow_style = node.flow_style, rng.random() < 0.3  # block or {a: 1, a: 2}
        file = tmp_path / f"dup{n}.yaml"
        file.write_text(yaml.serialize(root))
        node.value, node.flow_style = pairs, style
        result = CliRunner().invoke(main, ["validate", str(file)])
        where = (n, key.value, result.output)
        assert result.exit_code == 2, where
        assert result.stderr.count("\n") == 1 and "given twice (first at line" in result.stderr


def test_fuzz_duplicate_and_colliding_csv_columns_are_refused(tmp_path: Path) -> None:
    data = base_data()
    stations = data.pop("stations")
    columns = sorted({k for s in stations for k in s if k != "covers"})
    rng = random.Random(16)
    for n in range(20):
        extra = rng.choice([*columns, "requirements", "capacity"])
        header = [*columns]
        header.insert(rng.randrange(len(header) + 1), extra)
        if extra in ("requirements", "capacity"):
            header.append(f"{extra}.x")
        rows = [",".join(header)]
        rows += [",".join(str(s.get(c, "")) for c in header) for s in stations]
        (tmp_path / f"st{n}.csv").write_text("\n".join(rows) + "\n")
        file = tmp_path / f"side{n}.yaml"
        file.write_text(yaml.safe_dump({**data, "stations": f"st{n}.csv"}))
        result = CliRunner().invoke(main, ["validate", str(file)])
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"error: {tmp_path / f'st{n}.csv'}: header, column ")


def test_fuzz_special_files_are_refused_at_once(tmp_path: Path) -> None:
    """Pipes and devices, as the instance, a side file or a parent: refused within a second."""
    specials = [Path(p) for p in ("/dev/zero", "/dev/null", "/dev/urandom", "/dev/full")]
    specials = [p for p in specials if p.exists()]
    os.mkfifo(tmp_path / "pipe.yaml")
    os.mkfifo(tmp_path / "pipe.csv")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "pipe.yaml")
    cases: list[tuple[str, Path]] = [(str(p), p) for p in specials]
    cases += [("fifo", tmp_path / "pipe.yaml"), ("symlink to fifo", tmp_path / "link.yaml")]
    side = tmp_path / "side.yaml"
    side.write_text(yaml.safe_dump({**base_data(), "stations": "pipe.csv"}))
    cases.append(("fifo side file", side))
    child = tmp_path / "child.yaml"
    child.write_text("extends: pipe.yaml\nname: child\n")
    cases.append(("fifo parent", child))
    for label, path in cases:
        began = time.perf_counter()
        with deadline(5.0):
            result = CliRunner().invoke(main, ["validate", str(path)])
        assert time.perf_counter() - began < 1.0, label
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, (label, result.output)
        assert "expected a regular file" in result.stderr, (label, result.stderr)


OPTION_VALUES = {
    "--time-limit": ["nan", "NaN", "inf", "-inf", "-1", "0", "1e308", "1e400", "ten", ""],
    "--gap": ["nan", "inf", "-1e-9", "1.0001", "1e308", "x", ""],
    "--threads": ["0", "-1", "100000", "1e3", "2.5", "nan", ""],
    "--seed": ["-1", str(2**31), str(2**64), "1.5", "nan"],
}


def test_fuzz_impossible_option_values_are_one_line(tmp_path: Path) -> None:
    file = tmp_path / "case.yaml"
    file.write_text(yaml.safe_dump(base_data()))
    for option, values in OPTION_VALUES.items():
        for value in values:
            result = CliRunner().invoke(main, ["solve", str(file), "--no-write", option, value])
            where = (option, value, result.output)
            assert result.exit_code == 2, where
            assert result.stderr.count("\n") == 1 and option in result.stderr, where


def id_paths(data: dict[str, Any]) -> list[tuple]:
    """Every id-valued field of the instance (a reference to another record)."""
    out: list[tuple] = [("scenario", "us_nation")]
    for i, pool in enumerate(data.get("pools", [])):
        out += [("pools", i, "nation"), ("pools", i, "capability")]
        out += [("pools", i, "bases", j) for j in range(len(pool.get("bases", [])))]
    for i, station in enumerate(data.get("stations", [])):
        out.append(("stations", i, "capability"))
        out += [("stations", i, "covers", j) for j in range(len(station.get("covers") or []))]
    for i, route in enumerate(data.get("routes", [])):
        out += [("routes", i, "legs", j) for j in range(len(route.get("legs", [])))]
    return out


def test_fuzz_every_reference_names_an_existing_record(tmp_path: Path) -> None:
    """An id-valued field set to an id no record has: refused, never accepted as meaningless."""
    data = base_data()
    rng = random.Random(17)
    paths_ = id_paths(data)
    for n, path in enumerate([("scenario", "us_nation"), *rng.sample(paths_, 12)]):
        mutated = json.loads(json.dumps(data))
        put(mutated, path, rng.choice(["NO-SUCH-ID", "usa", "US_", "X"]))
        file = tmp_path / f"ref{n}.yaml"
        file.write_text(yaml.dump(mutated, Dumper=DUMPER))
        result = CliRunner().invoke(main, ["validate", str(file)])
        where = (path, result.output)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, where
        assert ".".join(map(str, path)) in result.stderr, where
    for family in ("C5",):
        mutated = json.loads(json.dumps(data))
        mutated.setdefault("scenario", {}).setdefault("constraints", {})[family] = False
        file = tmp_path / f"switch{family}.yaml"
        file.write_text(yaml.dump(mutated, Dumper=DUMPER))
        result = CliRunner().invoke(main, ["validate", str(file)])
        assert result.exit_code == 2 and "cannot be switched off" in result.stderr


def test_fuzz_odd_output_places_are_refused(tmp_path: Path) -> None:
    """Output folders that are devices, files, below files, or nameless: exit 2, one line,
    nothing written, whatever the command."""
    file = tmp_path / "case.yaml"
    file.write_text(yaml.safe_dump(base_data()))
    (tmp_path / "plain").write_text("keep\n")
    os.mkfifo(tmp_path / "pipe")
    places = ["/dev/null", "/dev/zero", str(tmp_path / "plain"), str(tmp_path / "plain/x/y"),
              str(tmp_path / "pipe"), str(tmp_path / "pipe/sub"), ""]  # fmt: skip
    commands = [
        ["solve", str(file)],
        ["sweep", str(file), "--vary", "scenario.budget=1"],
        ["sensitivity", str(file)],
        ["bench", "--suite", "posture", "--instances", str(tmp_path)],
    ]
    for command in commands:
        for place in places:
            result = CliRunner().invoke(main, [*command, "--out", place])
            where = (command[0], place, result.output)
            assert result.exit_code == 2 and result.stderr.count("\n") == 1, where
            assert "Traceback" not in result.output, where
    assert (tmp_path / "plain").read_text() == "keep\n"


def test_fuzz_csv_row_numbers_survive_blank_lines_bom_and_quotes(tmp_path: Path) -> None:
    """A bad cell in a random row of a side file, after random blank lines, quoted multi-line
    cells and a byte-order mark: the error names the line the row starts on."""
    data = base_data()
    stations = data.pop("stations")
    scalar = (str, int, float, bool)
    plain = {k for s in stations for k in s} - {
        k
        for s in stations
        for k, v in s.items()
        if not isinstance(v, scalar) or "," in str(v) or "\n" in str(v) or '"' in str(v)
    }
    columns = sorted(plain | {"name"})
    rng = random.Random(18)
    for n in range(12):
        bad = rng.randrange(len(stations))
        lines = [",".join(columns)]
        start_of_bad = 0
        for i, s in enumerate(stations):
            lines += [""] * rng.choice([0, 0, 1, 3])
            cells = []
            for c in columns:
                value = s.get(c, "")
                if c == "name":
                    value = '"' + "\n".join(["post"] * rng.choice([1, 2, 3])) + '"'
                if c == "radius_km" and i == bad:
                    value = "far"
                cells.append(str(value))
            if i == bad:
                start_of_bad = sum(line.count("\n") + 1 for line in lines) + 1
            lines.append(",".join(cells))
        text = "\n".join(lines) + "\n"
        (tmp_path / f"st{n}.csv").write_bytes((b"\xef\xbb\xbf" if n % 2 else b"") + text.encode())
        file = tmp_path / f"side{n}.yaml"
        file.write_text(yaml.safe_dump({**data, "stations": f"st{n}.csv"}))
        result = CliRunner().invoke(main, ["validate", str(file)])
        assert result.exit_code == 2, result.output
        expected = f"st{n}.csv: row {start_of_bad}, column radius_km"
        assert expected in result.stderr, (expected, result.stderr)


def test_fuzz_tampered_run_folders_do_not_verify(tmp_path: Path) -> None:
    """Any edit of a run folder's instance.json (limits raised, weights changed) fails
    `posture verify RUN_DIR` (exit 1), never VERIFIED."""
    mini = tmp_path / "mini.yaml"
    text = (Path(__file__).resolve().parents[1] / "docs" / "instance-format.md").read_text()
    start = text.index("# mini.yaml")
    mini.write_text(text[start : text.index("```", start)])
    result = CliRunner().invoke(
        main, ["solve", str(mini), "--out", str(tmp_path / "runs"), "--no-us-dependency"]
    )
    assert result.exit_code == 0, result.output
    (folder,) = (tmp_path / "runs").iterdir()
    original = json.loads((folder / "instance.json").read_text())
    numbers = [p for p in paths(original) if type(_get(original, p)) in (int, float)]
    rng = random.Random(19)
    for path in rng.sample(numbers, 10):
        edited = json.loads(json.dumps(original))
        put(edited, path, _get(original, path) + rng.choice([1, 2, 10]))
        (folder / "instance.json").write_text(json.dumps(edited))
        result = CliRunner().invoke(main, ["verify", str(folder)])
        assert result.exit_code in (1, 2), (path, result.output)
        assert "VERIFIED" not in result.stdout, (path, result.output)
