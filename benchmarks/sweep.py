"""Sweep timing: a 100-case sweep of the baseline with one and with two local processes.

Run as ``python -m benchmarks.sweep`` (``make bench`` does). The cases are a
grid over the units of the instance's two largest pools (from a quarter to one and a half
times what they offer), so every case is a real re-solve. Both runs go through the same
:func:`optimizer.analysis.sweep.run_sweep` as ``posture sweep`` (process start-up included),
into a temporary folder; the tables must be identical. Writes ``results/sweep_timing.csv``:
both wall times, their ratio (jobs 1 / jobs 2: the speed-up) and whether the tables agreed.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from optimizer.analysis.cases import TIMING, CaseBase, load_base
from optimizer.analysis.executors import DEFAULT_CHAIN
from optimizer.analysis.params import Vary, format_number
from optimizer.analysis.sweep import run_sweep
from optimizer.instance.reader import InstanceError, content_hash
from optimizer.results.writer import write_csv


def grid_for(base: CaseBase, cases: int) -> tuple[Vary, ...]:
    """Two pools' units on an a x b grid with a * b == cases (a the largest divisor <= sqrt)."""
    instance = base.instance()
    pools = sorted(
        enumerate(instance.pools), key=lambda item: (-item[1].units, item[0])
    )  # largest first, then file order
    a = max(d for d in range(1, math.isqrt(cases) + 1) if cases % d == 0)
    sizes = (cases // a, a) if len(pools) > 1 and a > 1 else (cases,)
    varies = []
    for (index, pool), size in zip(pools, sizes, strict=False):
        factors = [0.25 + 1.25 * k / max(1, size - 1) for k in range(size)]
        values = tuple(format_number(math.floor(pool.units * f + 0.5)) for f in factors)
        varies.append(Vary(f"pools.{index}.units", values))
    return tuple(varies)


def time_sweep(
    base: CaseBase, varies: tuple[Vary, ...], jobs: int, chain: int
) -> tuple[float, float, pd.DataFrame]:
    """Wall seconds, the sum of the cases' own (build + solve) seconds, the result columns."""
    with tempfile.TemporaryDirectory(prefix="posture-sweep-bench-") as folder:
        began = time.perf_counter()
        result = run_sweep(base, varies, results_dir=folder, jobs=jobs, chain_length=chain)
        seconds = time.perf_counter() - began
    busy = float(result.table[list(TIMING)].sum().sum())
    return seconds, busy, result.table.drop(columns=list(TIMING))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sweep")
    parser.add_argument("--instance", default="instances/baseline.yaml")
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--chain-length", type=int, default=DEFAULT_CHAIN)
    parser.add_argument("--out", default="results/sweep_timing.csv")
    args = parser.parse_args(argv)
    if args.cases < 2:
        parser.error("--cases must be at least 2")
    try:
        base = load_base(args.instance)
    except InstanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    varies = grid_for(base, args.cases)
    load_before = _load_average()
    serial, busy_1, table_1 = time_sweep(base, varies, 1, args.chain_length)
    parallel, busy_2, table_2 = time_sweep(base, varies, 2, args.chain_length)
    identical = table_1.equals(table_2)
    row = {
        "instance": args.instance,
        "instance_hash": content_hash(base.instance())[:16],
        "cases": len(table_1),
        "varied": "; ".join(f"{v.path}={','.join(v.values)}" for v in varies),
        "chain_length": args.chain_length,
        "optimal_cases": int((table_1["status"] == "optimal").sum()),
        "warm_started_cases": int(table_1["warm_start"].sum()),
        "jobs_1_seconds": serial,
        "jobs_2_seconds": parallel,
        "ratio_jobs1_over_jobs2": serial / parallel if parallel > 0 else math.nan,
        "identical_tables": identical,
        # the cases' own seconds summed, and over the wall time: about 2 when both workers
        # solve at once; a jobs-2 case slower than a jobs-1 case means the cores were shared
        "jobs_1_case_seconds": busy_1,
        "jobs_2_case_seconds": busy_2,
        "jobs_2_concurrency": busy_2 / parallel if parallel > 0 else math.nan,
        "cpu_count": os.cpu_count(),
        # other work on the machine takes cores from both runs: a ratio near 1 with a load
        # above the core count says more about the machine than about the sweep
        "load_average_before": load_before,
        "load_average_after": _load_average(),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    write_csv(pd.DataFrame([row]), tmp)
    os.replace(tmp, out)
    print(
        f"sweep of {row['cases']} cases: jobs 1 {serial:.1f} s, jobs 2 {parallel:.1f} s, "
        f"ratio {row['ratio_jobs1_over_jobs2']:.2f} (load average {load_before} before, "
        f"{row['load_average_after']} after, {os.cpu_count()} cores; "
        f"{row['jobs_2_concurrency']:.2f} cases at once with jobs 2); "
        f"tables identical: {identical} -> {out}"
    )
    return 0 if identical else 1


def _load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


if __name__ == "__main__":
    sys.exit(main())
