"""One instance through the posture path, stage by stage, in a process of its own.

``python -m benchmarks.perf_rung INSTANCE [--time-limit S] [--mclp S P] [--mps-dir DIR]
[--set PATH=VALUE]``
loads, builds, solves, reports and writes a run folder exactly as ``posture solve`` does
(optimizer.api), timing each stage (wall and CPU seconds), and prints one JSON object with the
times, the model size, the status and the peak resident memory of the process. A process per
instance keeps the peak memory of one rung from hiding the next one's.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class Clock:
    """Wall and CPU seconds per named stage."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def run(self, stage: str, func: Callable[[], T]) -> T:
        wall, cpu = time.perf_counter(), time.process_time()
        value = func()
        self.wall[stage] = time.perf_counter() - wall
        self.cpu[stage] = time.process_time() - cpu
        return value


def run_path(
    instance_file: str,
    time_limit: float | None = None,
    mclp: tuple[float, int] | None = None,
    mps_dir: str | None = None,
    overrides: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The stages of ``posture solve`` on one file; returns times, sizes and the result."""
    from optimizer.api import solve_instance
    from optimizer.instance import load_instance
    from optimizer.model.limits import build_checked
    from optimizer.solvers import SolverOptions

    clock = Clock()
    if mclp is not None:
        from optimizer.instance.mclp import read_mclp

        instance = clock.run("load", lambda: read_mclp(instance_file, mclp[0], int(mclp[1])))
    else:
        instance = clock.run("load", lambda: load_instance(instance_file, overrides))
    options = SolverOptions(time_limit=time_limit)
    recorder = None
    if mps_dir is not None:
        from optimizer.solvers.mps import PhaseRecorder

        recorder = PhaseRecorder()
    # the one solve path of posture solve; it times its own build, solve and report stages
    result = solve_instance(
        instance, "highs", options, instance_file=instance_file, observe=recorder
    )
    for stage in ("build", "solve", "report"):
        clock.wall[stage] = result.timings[f"{stage}_s"]
        clock.cpu[stage] = result.timings[f"{stage}_cpu_s"]
    solution, formulation = result.solution, result.solution.formulation
    with tempfile.TemporaryDirectory() as folder:
        clock.run("write", lambda: result.to_folder(folder))
    matrix = formulation.matrix
    out: dict[str, Any] = {
        "instance": instance.name,
        "sectors": len(instance.sectors),
        "stations": len(instance.stations),
        "pools": len(instance.pools),
        "triples": formulation.n_x,
        "rows": int(matrix.shape[0]),
        "cols": int(matrix.shape[1]),
        "nonzeros": int(matrix.A.nnz),
        "status": solution.status.value,
        "objective": solution.objective,
        "bound": solution.best_bound,
        "gap": solution.gap,
        "solver_seconds": solution.solve_seconds,
        "phases": [
            {k: p[k] for k in ("phase", "status", "seconds", "objective")} for p in solution.phases
        ],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
    }
    for stage in clock.wall:
        out[f"{stage}_s"] = clock.wall[stage]
        out[f"{stage}_cpu_s"] = clock.cpu[stage]
    out["total_s"] = sum(clock.wall.values())
    if recorder is not None:
        paths = recorder.write(mps_dir, Path(instance_file).stem)
        out["mps"] = [str(p) for p in paths]
    # Builds again, after the peak memory is read: the first build of a fresh process also
    # pays for first-touch page faults, so the growth fit uses this one as well.
    warm = []
    for _ in range(3):  # the fastest of three: small builds are at the clock's noise level
        again = Clock()
        again.run("build", lambda: build_checked(instance, instance_file))
        warm.append(again.wall["build"])
    out["build_warm_s"] = min(warm)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance")
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--mclp", nargs=2, type=float, metavar=("S", "P"), default=None)
    parser.add_argument("--mps-dir", default=None)
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="PATH=VALUE")
    args = parser.parse_args(argv)
    mclp = (args.mclp[0], int(args.mclp[1])) if args.mclp else None
    result = run_path(args.instance, args.time_limit, mclp, args.mps_dir, tuple(args.sets))
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
