"""``make bench-perf``: the scale ladder, the overhead against the solver alone, the peer.

1. Ladder: generated instances (optimizer.instance.generate, seed 1) from 100 to 100,000
   sectors, each step about 3x; each runs the posture path in a process of its own
   (benchmarks.perf_rung): load, build, solve, report, write, peak memory, status. The
   big rungs have a solve time limit, so their status is honestly ``time_limit``.
2. Growth: least-squares slope of log(build seconds) on log(nonzeros).
3. Overhead: the largest rung that solved to optimality within a few minutes, and SJC818
   (S = 800, p = 10) from ../shared/benchmarks: posture end to end against HiGHS reading the
   MPS files of the same model (benchmarks.perf_overhead).
4. Peer: spopt's MCLP (PuLP + CBC) and posture on SJC818 and on a seeded random case of
   10,000 demand points and 1,000 sites, p = 40 (benchmarks.perf_peer).
5. Peer as commands: ``posture solve`` with its defaults against the spopt command
   (benchmarks.spopt_mclp), each a process reading the same file, on SJC818 (S = 800, p = 10)
   and on seeded random Swain-format files of 3,000 nodes, p = 30, seeds 1-3
   (benchmarks.perf_peer_cmd; the files are written to results/perf_peer_cmd/).

Tables go to results/perf.csv (ladder), results/perf_overhead.csv, results/perf_peer.csv,
results/perf_peer_cmd.csv and .md, and results/perf.txt (everything printed). ``--quick`` runs a
small version for smoke tests.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tabulate import tabulate

from benchmarks import DATA, child_env

LADDER = (100, 300, 1_000, 3_000, 10_000, 30_000, 100_000)
# seconds per solve, so that each big rung, load to run folder, ends within about 60 s
TIME_LIMITS = {10_000: 55.0, 30_000: 52.0, 100_000: 40.0}
SAFETY_LIMIT = 600.0  # the small rungs solve to optimality well within this
OVERHEAD_MAX_SOLVE = 240.0  # "solves within a few minutes"
BENCHMARKS = DATA
LADDER_COLUMNS = [
    "sectors", "stations", "pools", "triples", "rows", "cols", "nonzeros", "load_s", "build_s",
    "build_warm_s", "solve_s", "report_s", "write_s", "total_s", "peak_mb", "status",
    "objective", "bound", "gap", "phases", "build_cpu_s", "load_cpu_s", "report_cpu_s",
    "write_cpu_s",
]  # fmt: skip


def ladder(rungs: tuple[int, ...], folder: Path, seed: int, echo) -> pd.DataFrame:
    from optimizer.instance.generate import Size, generate_instance
    from optimizer.instance.generate_io import write_instance

    rows = []
    for n in rungs:
        path = folder / f"ladder-{n}.yaml"
        write_instance(generate_instance(Size.default(n), seed), path, force=True)
        limit = TIME_LIMITS.get(n, SAFETY_LIMIT)
        args = [sys.executable, "-m", "benchmarks.perf_rung", str(path)]
        done = subprocess.run(
            [*args, "--time-limit", str(limit)],
            capture_output=True,
            text=True,
            check=False,
            env=child_env(),
        )
        if done.returncode != 0:
            raise RuntimeError(f"rung {n} failed: {done.stderr[-3000:]}")
        row = json.loads(done.stdout.strip().splitlines()[-1])
        row["file"] = str(path)
        row["phases"] = "; ".join(
            f"{p['phase']} {p['seconds']:.1f}s {p['status']}" for p in row["phases"]
        )
        rows.append(row)
        echo(
            f"  rung {n:>7,} sectors: nnz {row['nonzeros']:>10,}  build {row['build_s']:7.2f}s"
            f"  solve {row['solve_s']:7.1f}s  {row['status']}"
        )
    return pd.DataFrame(rows)


def growth(
    frame: pd.DataFrame, min_build_s: float = 0.05, column: str = "build_s"
) -> dict[str, float]:
    """log-log slope of build time on nonzeros: all rungs, and rungs past fixed overheads."""
    out: dict[str, float] = {}
    large = frame[frame[column] >= min_build_s]
    for label, part in (("all", frame), ("large", large)):
        if len(part) >= 2:
            x, y = np.log(part["nonzeros"].astype(float)), np.log(part[column].astype(float))
            slope, intercept = np.polyfit(x, y, 1)
            fit = slope * x + intercept
            r2 = 1 - ((y - fit) ** 2).sum() / max(1e-300, ((y - y.mean()) ** 2).sum())
            out[f"slope_{label}"], out[f"r2_{label}"] = float(slope), float(r2)
            out[f"rungs_{label}"] = float(len(part))
    return out


def overhead_rows(frame: pd.DataFrame, repeats: int, echo) -> pd.DataFrame:
    from benchmarks.perf_overhead import overhead

    rows = []
    solved = frame[(frame["status"] == "optimal") & (frame["solve_s"] <= OVERHEAD_MAX_SOLVE)]
    if len(solved):
        pick = solved.sort_values("sectors").iloc[-1]
        label = f"ladder {int(pick['sectors']):,}"
        echo(f"  {label} (tie-break off, then on) ...")
        off = ["--set", "scenario.tie_break=false"]
        rows.append(overhead(f"{label} tie-break off", pick["file"], off, off, repeats))
        rows.append(overhead(f"{label} tie-break on", pick["file"], [], [], min(repeats, 2)))
    coords = BENCHMARKS / "mclp" / "sjc" / "SJC818.coords.txt"
    if coords.is_file():
        echo("  SJC818 S=800 p=10 ...")
        mclp = ["--format", "mclp", "--radius", "800", "--stations", "10"]
        rows.append(
            overhead("SJC818 S=800 p=10", str(coords), ["--mclp", "800", "10"], mclp, repeats)
        )
    else:
        echo(f"  SJC818 skipped: {coords} not found")
    return pd.DataFrame(rows)


def peer_rows(quick: bool, echo) -> pd.DataFrame:
    from benchmarks.perf_peer import compare, random_case, sjc_case

    rows = []
    if (BENCHMARKS / "mclp" / "sjc").is_dir():
        echo("  SJC818 S=800 p=10 ...")
        xy, demand = sjc_case(str(BENCHMARKS))
        rows += compare("SJC818", xy, demand, xy, 800.0, 10)
    size = (2_000, 200) if quick else (10_000, 1_000)
    for seed in (1,) if quick else (1, 7):  # the seeds of earlier tables (issue 16)
        echo(f"  random {size[0]:,} x {size[1]:,} p=40 seed {seed} ...")
        demand_xy, weights, site_xy, radius = random_case(seed, *size)
        name = f"random-{size[0]}x{size[1]}-s{seed}"
        rows += compare(name, demand_xy, weights, site_xy, radius, 40)
    return pd.DataFrame(rows)


def _table(frame: pd.DataFrame, columns: list[str]) -> str:
    shown = frame[[c for c in columns if c in frame.columns]]
    return tabulate(shown, headers="keys", tablefmt="github", showindex=False, floatfmt=".3g")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="posture performance benchmark")
    parser.add_argument("--quick", action="store_true", help="small ladder, small peer case")
    parser.add_argument("--out", default="results", help="folder for perf*.csv and perf.txt")
    parser.add_argument(
        "--repeats", type=int, default=3, help="repeats of the overhead and peer-command timings"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip", nargs="*", default=[], choices=["overhead", "peer", "peer-cmd"])
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []

    def echo(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    began = time.perf_counter()
    rungs = LADDER[:3] if args.quick else LADDER
    repeats = 1 if args.quick else max(1, args.repeats)
    with tempfile.TemporaryDirectory(prefix="posture-perf-") as tmp:
        echo(f"1. Ladder ({len(rungs)} rungs, seed {args.seed})")
        frame = ladder(rungs, Path(tmp), args.seed, echo)
        frame.drop(columns=["file"]).to_csv(out / "perf.csv", index=False, float_format="%.6g")
        echo(_table(frame, LADDER_COLUMNS[:19]))
        echo("\n2. Build time against nonzeros (log-log least squares)")
        for column in ("build_s", "build_warm_s"):
            fit = growth(frame, column=column)
            echo(f"{column}: " + json.dumps({k: round(v, 3) for k, v in fit.items()}))
        if "overhead" not in args.skip:
            echo("\n3. Overhead: posture end to end against HiGHS alone on the MPS files")
            over = overhead_rows(frame, repeats, echo)
            over.to_csv(out / "perf_overhead.csv", index=False, float_format="%.6g")
            echo(_table(over, list(over.columns)))
    if "peer" not in args.skip:
        echo("\n4. Peer: spopt MCLP (PuLP + CBC) against posture (HiGHS), same process")
        peer = peer_rows(args.quick, echo)
        peer.to_csv(out / "perf_peer.csv", index=False, float_format="%.6g")
        echo(_table(peer, list(peer.columns)))
    if "peer-cmd" not in args.skip:
        from benchmarks.perf_peer_cmd import run as peer_commands

        echo("\n5. Peer as commands: posture solve against the spopt command, the same file")
        commands = peer_commands(out, args.quick, repeats, echo=echo)
        echo((out / "perf_peer_cmd.md").read_text())
        if not commands["same_optimum"].all():
            echo("WARNING: posture and spopt disagree on an optimum (perf_peer_cmd.md)")
    echo(f"\nbench-perf finished in {time.perf_counter() - began:.0f} s")
    (out / "perf.txt").write_text("\n".join(lines) + "\n")


def rows_as_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict(orient="records")


if __name__ == "__main__":
    main()
