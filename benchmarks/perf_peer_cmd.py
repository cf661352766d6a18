"""Against the peer as commands: ``posture solve`` and the spopt command on the same file.

For each case, two commands run as subprocesses from the same file, end to end (interpreter
start, imports, reading the file, building, solving, and for posture its report and run folder):

- posture with default settings: ``posture solve FILE --format mclp --radius S --stations p
  --json --out TMP`` (HiGHS, the US-dependency re-solves as they are by default, a run folder
  written into a temporary folder);
- spopt: ``python -m benchmarks.spopt_mclp FILE S p --json`` (its own parsing, the dense cost
  matrix, ``MCLP.from_cost_matrix``, PuLP + CBC).

Each command runs ``repeats`` times, alternating the tools; ``seconds`` is the fastest wall
time (the least disturbed run on a shared machine), ``median_s`` the median, ``cpu_s`` the
CPU seconds (user + system) of the fastest run, the child and its own children (CBC) together.
``ratio`` is spopt's seconds over posture's. Both tools must report the same optimal covered
demand (``same_optimum``).

Cases: SJC818 (S = 800, p = 10) from ../shared/benchmarks, and seeded random Swain-format files
of 3,000 nodes (benchmarks.mclp_random: every node a demand point and a site, S so a site
covers about 1 % of the nodes), p = 30, seeds 1, 2, 3; the files are written beside the table
(results/perf_peer_cmd/), so every command can be repeated as the table's .md prints it.

    python -m benchmarks.perf_peer_cmd [--quick] [--repeats 3] [--out results]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from tabulate import tabulate

from benchmarks import DATA, ROOT, child_env
from benchmarks.mclp_random import write_random_file

SJC818 = DATA / "mclp" / "sjc" / "SJC818.coords.txt"
COLUMNS = [
    "case", "nodes", "S", "p", "tool", "seconds", "median_s", "cpu_s", "runs", "status",
    "objective", "same_optimum", "ratio", "ratio_cpu", "import_s", "build_s", "solve_s",
    "us_dependency_s",
]  # fmt: skip
# Seconds the commands report themselves (of the fastest run): spopt its imports, its build
# (cost matrix and PuLP model) and CBC's solve; posture its solve and its US-dependency re-solves.
DETAIL = {
    "spopt": {"import_s": "import_s", "build_s": "build_s", "solve_s": "solve_s"},
    "posture": {"solve_s": "solve_seconds", "us_dependency_s": ("us_dependency", "seconds")},
}


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    nodes: int
    radius: float
    p: int


def posture_args(case: Case, out: str) -> list[str]:
    """``posture solve`` with its defaults, the console script beside this interpreter."""
    script = Path(sys.executable).with_name("posture")
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "optimizer"]
    mclp = ["--format", "mclp", "--radius", f"{case.radius:g}", "--stations", str(case.p)]
    return [*command, "solve", str(case.path), *mclp, "--json", "--out", out]


def spopt_args(case: Case) -> list[str]:
    return [
        sys.executable, "-m", "benchmarks.spopt_mclp", str(case.path), f"{case.radius:g}",
        str(case.p), "--json",
    ]  # fmt: skip


def timed(args: list[str], timeout: float) -> tuple[float, float, dict[str, Any]]:
    """Wall and CPU seconds of one command, and the JSON object it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, check=False, env=child_env(),
        cwd=ROOT,
    )  # fmt: skip
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args[:4])} failed ({done.returncode}): {done.stderr[-2000:]}"
        )
    return wall, cpu, json.loads(done.stdout)


def run_case(case: Case, repeats: int, timeout: float = 3600) -> list[dict[str, Any]]:
    """Rows of both tools on one case (spopt first), with the ratio and the agreement check."""
    runs: dict[str, list[tuple[float, float, dict[str, Any]]]] = {"posture": [], "spopt": []}
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="posture-peer-cmd-") as out:
            runs["posture"].append(timed(posture_args(case, out), timeout))
        runs["spopt"].append(timed(spopt_args(case), timeout))
    best = {tool: min(found, key=lambda r: r[0]) for tool, found in runs.items()}
    outputs = {tool: [r[2] for r in found] for tool, found in runs.items()}
    optima = [float(o["objective"]) for found in outputs.values() for o in found]
    agree = all(o["status"] == "optimal" for found in outputs.values() for o in found) and (
        max(optima) - min(optima) <= 1e-6 * max(1.0, max(optima))
    )
    rows = []
    for tool in ("spopt", "posture"):
        wall, cpu, output = best[tool]
        rows.append(
            {
                "case": case.name,
                "nodes": case.nodes,
                "S": case.radius,
                "p": case.p,
                "tool": tool,
                "seconds": wall,
                "median_s": statistics.median(r[0] for r in runs[tool]),
                "cpu_s": cpu,
                "runs": len(runs[tool]),
                "status": output["status"],
                "objective": float(output["objective"]),
                "same_optimum": agree,
                "ratio": best["spopt"][0] / wall,
                "ratio_cpu": best["spopt"][1] / cpu,
                **_detail(tool, output),
                "file": str(case.path),
            }
        )
    return rows


def _detail(tool: str, output: dict[str, Any]) -> dict[str, float | None]:
    found: dict[str, float | None] = {}
    for column, key in DETAIL[tool].items():
        value: Any = output
        for part in (key,) if isinstance(key, str) else key:
            value = value.get(part) if isinstance(value, dict) else None
        found[column] = None if value is None else float(value)
    return found


def cases(quick: bool, folder: Path, seeds: tuple[int, ...]) -> list[Case]:
    """SJC818 (when ../shared is there) and the random files, written into ``folder``."""
    found = []
    if not quick and SJC818.is_file():
        found.append(Case("SJC818", SJC818, 818, 800.0, 10))
    nodes, share, p = (300, 0.05, 5) if quick else (3_000, 0.01, 30)
    for seed in seeds[:1] if quick else seeds:
        made = write_random_file(folder, nodes, seed, share)
        found.append(Case(f"random-{nodes}-seed{seed}", made.path, nodes, made.radius, p))
    return found


def commands(case: Case) -> list[str]:
    """The two commands as a reader repeats them from the repository root."""
    posture = [_shown(a) for a in posture_args(case, "OUT")]
    posture[: posture.index("solve")] = [".venv/bin/posture"]
    spopt = [".venv/bin/python", *(_shown(a) for a in spopt_args(case)[1:])]
    return [" ".join(posture), " ".join(spopt)]


def _shown(arg: str) -> str:
    """A path as a reader at the repository root writes it (../shared/... for the data)."""
    path = Path(arg)
    if not path.is_absolute():
        return arg
    for base, prefix in ((ROOT, ""), (ROOT.parent, "../")):
        if path.is_relative_to(base):
            return prefix + path.relative_to(base).as_posix()
    return arg


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"


def markdown(frame: pd.DataFrame, found: list[Case], loads: tuple[str, str], repeats: int) -> str:
    shown = frame[COLUMNS].copy()
    for column in ("S", "objective"):  # exact, as the commands take and print them
        shown[column] = shown[column].map(lambda v: f"{v:g}")
    for column in ("seconds", "median_s", "cpu_s", "ratio", "ratio_cpu", *COLUMNS[-4:]):
        shown[column] = shown[column].map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    table = tabulate(
        shown, headers="keys", tablefmt="github", showindex=False, disable_numparse=True
    )
    lines = [
        "# posture against spopt, as commands from the same file",
        "",
        f"Fastest wall seconds of {repeats} run(s) per tool (median beside it); ratio = spopt / "
        "posture (ratio_cpu: the same with CPU seconds). The last four columns are seconds the "
        "commands report themselves, in the fastest run: spopt's imports, build (cost matrix, "
        "PuLP model) and CBC solve; posture's solve and US-dependency re-solves. Load average "
        f"(1, 5, 15 min) at the start: {loads[0]}; at the end: {loads[1]}.",
        "",
        table,
        "",
        "Commands (from the repository root; OUT is any folder):",
        "",
    ]
    for case in found:
        where = _shown(str(case.path))
        lines += [f"- {case.name} (`{where}`, S = {case.radius:g}, p = {case.p}):", ""]
        lines += [f"      {command}" for command in commands(case)]
        lines.append("")
    return "\n".join(lines)


def run(
    out: Path, quick: bool = False, repeats: int = 3, seeds: tuple[int, ...] = (1, 2, 3), echo=print
) -> pd.DataFrame:
    """Every case; writes ``perf_peer_cmd.csv`` and ``.md`` into ``out`` (files in a folder)."""
    out.mkdir(parents=True, exist_ok=True)
    found = cases(quick, out / "perf_peer_cmd", seeds)
    start_load = load()
    rows = []
    for case in found:
        echo(f"  {case.name}: S={case.radius:g} p={case.p}, {repeats} run(s) per tool ...")
        rows += run_case(case, repeats)
        spopt, posture = rows[-2], rows[-1]
        echo(
            f"    spopt {spopt['seconds']:.2f}s  posture {posture['seconds']:.2f}s  "
            f"ratio {posture['ratio']:.2f}  same optimum {posture['same_optimum']}"
        )
    frame = pd.DataFrame(rows)
    frame.to_csv(out / "perf_peer_cmd.csv", index=False, float_format="%.6g")
    text = markdown(frame, found, (start_load, load()), repeats)
    (out / "perf_peer_cmd.md").write_text(text + "\n")
    return frame


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="posture against spopt, as commands")
    parser.add_argument("--quick", action="store_true", help="one small random file, one run")
    parser.add_argument("--out", default="results", help="folder for perf_peer_cmd.csv/.md")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else max(1, args.repeats)
    out = Path(args.out)
    frame = run(out, args.quick, repeats, tuple(args.seeds))
    print((out / "perf_peer_cmd.md").read_text())
    if not frame["same_optimum"].all():
        sys.exit("the two tools disagree on an optimum: see the table")


if __name__ == "__main__":
    main()
