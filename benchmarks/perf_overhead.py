"""Overhead against the solver alone: the posture path versus HiGHS reading the model's MPS.

For one instance: the posture path runs in a process of its own (benchmarks.perf_rung),
which also writes every model it handed to HiGHS as an MPS file, with the start it gave it
as a HiGHS solution file (optimizer.solvers.mps). Then ``highspy`` solves those files in a
bare process (``readModel``, ``readSolution`` where a start exists, ``run``), once with the
options posture sets and once with HiGHS's defaults: the same MIPs from the same starts, so
the ratio is what posture adds around the solver. With the tie-break on, those are all the
lexicographic phases; the primary model's file alone is also timed, so the table shows what
the tie-break itself costs. Then ``posture solve`` runs as a command. Every measurement is
repeated and the fastest kept (the machine is shared: the minimum is the least disturbed
run). Ratios are end-to-end over solver alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from typing import Any

from benchmarks import child_env
from optimizer.solvers import SolverOptions
from optimizer.solvers.highs import highs_options
from optimizer.solvers.mps import start_path

# What the HiGHS backend sets for SolverOptions() (threads 1, gap 1e-6, seed 0, IPM root);
# the bare process below silences output itself.
POSTURE_OPTIONS = {k: v for k, v in highs_options(SolverOptions()).items() if k != "output_flag"}

_ALONE = """
import json, sys, time
t0 = time.perf_counter()
import highspy
files, options = json.loads(sys.argv[1]), json.loads(sys.argv[2])
out = {"import_s": time.perf_counter() - t0, "files": []}
for path, start in files:
    began, cpu = time.perf_counter(), time.process_time()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for key, value in options.items():
        h.setOptionValue(key, value)
    h.readModel(path)
    if start is not None:
        h.readSolution(start, 0)
    read = time.perf_counter()
    h.run()
    done = time.perf_counter()
    info = h.getInfo()
    out["files"].append({"read_s": read - began, "run_s": done - read,
        "cpu_s": time.process_time() - cpu,
        "status": str(h.getModelStatus()), "objective": info.objective_function_value})
print(json.dumps(out))
"""


def _python(args: list[str], timeout: float) -> tuple[str, float]:
    began = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=child_env(),
    )
    wall = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"{args[:3]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout, wall


def posture_path(
    instance: str, extra: list[str], mps_dir: str | None, timeout: float = 3600
) -> dict[str, Any]:
    """Stage times of the posture path (perf_rung) in a fresh process."""
    args = ["-m", "benchmarks.perf_rung", instance, *extra]
    if mps_dir is not None:
        args += ["--mps-dir", mps_dir]
    stdout, wall = _python(args, timeout)
    result = json.loads(stdout.strip().splitlines()[-1])
    result["process_s"] = wall
    return result


def solver_alone(files: list[str], options: dict[str, Any], timeout: float = 3600) -> dict:
    """HiGHS alone on the MPS files (each from its start file, if it has one), in a bare
    process: read + run seconds, summed over files."""
    pairs = [(f, str(start_path(f)) if start_path(f).is_file() else None) for f in files]
    stdout, wall = _python(["-c", _ALONE, json.dumps(pairs), json.dumps(options)], timeout)
    result = json.loads(stdout.strip().splitlines()[-1])
    result["read_s"] = sum(f["read_s"] for f in result["files"])
    result["run_s"] = sum(f["run_s"] for f in result["files"])
    result["alone_s"] = result["read_s"] + result["run_s"]
    result["alone_cpu_s"] = sum(f["cpu_s"] for f in result["files"])
    result["process_s"] = wall
    return result


def posture_command(args: list[str], timeout: float = 3600) -> tuple[float, dict[str, Any]]:
    """Wall seconds of ``posture solve ARGS --json`` (a run folder written to a temp dir)."""
    with tempfile.TemporaryDirectory() as out:
        stdout, wall = _python(["-m", "optimizer", "solve", *args, "--json", "--out", out], timeout)
    return wall, json.loads(stdout)


def overhead(
    label: str,
    instance: str,
    rung_args: list[str],
    cli_args: list[str],
    repeats: int = 3,
) -> dict[str, Any]:
    """One row of the overhead table (fastest of ``repeats`` for every measurement)."""
    with tempfile.TemporaryDirectory() as mps_dir:
        paths = [posture_path(instance, rung_args, mps_dir)]
        paths += [posture_path(instance, rung_args, None) for _ in range(repeats - 1)]
        files = paths[0]["mps"]
        same = [solver_alone(files, POSTURE_OPTIONS) for _ in range(repeats)]
        default = [solver_alone(files, {}) for _ in range(repeats)]
        primary = same if len(files) == 1 else [solver_alone(files[:1], POSTURE_OPTIONS)]
    commands = [posture_command([instance, *cli_args]) for _ in range(repeats)]
    best = min(paths, key=lambda r: r["total_s"])
    stages = ("load", "build", "solve", "report", "write")
    cpu = min(sum(r[f"{s}_cpu_s"] for s in stages) for r in paths)
    alone_cpu = min(same, key=lambda r: r["alone_cpu_s"])
    alone = min(same, key=lambda r: r["alone_s"])
    alone_default = min(default, key=lambda r: r["alone_s"])
    alone_primary = min(primary, key=lambda r: r["alone_s"])
    command_s, command = min(commands, key=lambda c: c[0])
    return {
        "instance": label,
        "phases": len(files),
        "status": best["status"],
        "objective": best["objective"],
        "alone_objective": _alone_objective(alone),
        "same_phase_values": _same_values(paths[0], alone),
        "load_s": best["load_s"],
        "build_s": best["build_s"],
        "solve_s": best["solve_s"],
        "report_s": best["report_s"],
        "write_s": best["write_s"],
        "posture_s": best["total_s"],
        "alone_s": alone["alone_s"],
        "alone_default_s": alone_default["alone_s"],
        "ratio": best["total_s"] / alone["alone_s"],
        "posture_cpu_s": cpu,
        "alone_cpu_s": alone_cpu["alone_cpu_s"],
        "ratio_cpu": cpu / alone_cpu["alone_cpu_s"],
        "ratio_vs_default": best["total_s"] / alone_default["alone_s"],
        "alone_primary_s": alone_primary["alone_s"],
        "ratio_vs_primary": best["total_s"] / alone_primary["alone_s"],
        "command_s": command_s,
        "alone_process_s": alone["process_s"],
        "command_ratio": command_s / alone["process_s"],
        "command_status": command.get("status"),
    }


def _alone_objective(result: dict[str, Any]) -> float | None:
    first = result["files"][0] if result["files"] else None
    return None if first is None else abs(float(first["objective"]))


def _reduction_step(phase: str) -> bool:
    return phase.endswith("(LP bound)") or "(kernel of " in phase


def _same_values(path: dict[str, Any], alone: dict[str, Any]) -> bool:
    """HiGHS alone reached every phase's value that posture reached (the same MIPs)."""
    # the root reduction's LP and kernel MIP are steps of posture's primary phase, not models
    # handed over as phases (the primary's full MIP is what HiGHS alone is given)
    ours = [p.get("objective") for p in path["phases"] if not _reduction_step(str(p["phase"]))]
    theirs = [f["objective"] for f in alone["files"]]
    if len(ours) != len(theirs) or any(v is None for v in ours):
        return False
    return all(
        abs(abs(float(a)) - abs(float(b))) <= 1e-6 * max(1.0, abs(float(a)))
        for a, b in zip(ours, theirs, strict=True)
    )
