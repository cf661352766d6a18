"""The root reduction (optimizer.model.reduce) against the same solve without it.

Each case is solved twice in this process, with ``SolverOptions(reduce=True)`` (the default)
and ``reduce=False``, one after the other, with HiGHS; both must reach the same proven
optimum. Seconds are the solve's (build excluded, the same for both); ``ratio`` is the
reduced solve's seconds over the full model's (below 1: the reduction pays). The columns
``lp_s``, ``kernel_s`` and ``fixed`` show where the reduced solve's time went and how many
integer columns the fixing removed.

    python -m benchmarks.perf_reduce [--cases sjc818-p10,random-10000x1000-s1,...] [--repeats 1]

Writes results/perf_reduce.csv and results/perf_reduce.md; the load average is recorded beside
each row (the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from tabulate import tabulate

from benchmarks import DATA, ROOT


def _sjc(code: str, radius: float, p: int) -> Callable[[], Any]:
    def make():
        from optimizer.instance.mclp import read_mclp

        return read_mclp(DATA / "mclp" / "sjc" / f"{code}.coords.txt", radius, p)

    return make


def _random(seed: int, n: int, m: int, p: int) -> Callable[[], Any]:
    def make():
        from benchmarks.perf_peer import covering_lists, posture_instance, random_case

        demand_xy, weights, site_xy, radius = random_case(seed, n, m)
        covers = covering_lists(demand_xy, site_xy, radius)
        return posture_instance(f"random-{n}x{m}-s{seed}", weights, covers, p)

    return make


def _ladder(sectors: int) -> Callable[[], Any]:
    def make():
        from optimizer.instance.generate import Size, generate_instance
        from optimizer.instance.schema import Instance

        data = generate_instance(Size.default(sectors), 1)
        return Instance.model_validate(data).with_scenario(tie_break=False)

    return make


CASES: dict[str, Callable[[], Any]] = {
    "sjc818-p10-S800": _sjc("SJC818", 800, 10),
    "sjc708-p10-S800": _sjc("SJC708", 800, 10),
    "sjc818-p5-S1200": _sjc("SJC818", 1200, 5),
    "random-10000x1000-s1": _random(1, 10_000, 1_000, 40),
    "random-10000x1000-s7": _random(7, 10_000, 1_000, 40),
    "ladder-3000 (tie-break off)": _ladder(3_000),
}
QUICK = ["sjc818-p10-S800"]


def run_case(name: str, make: Callable[[], Any], repeats: int) -> dict[str, Any]:
    from optimizer.model.solve import build_model, solve
    from optimizer.solvers import SolverOptions

    instance = make()
    formulation, _ = build_model(instance)
    row: dict[str, Any] = {"case": name, "nonzeros": int(formulation.matrix.A.nnz)}
    row["load_avg_1min"] = round(os.getloadavg()[0], 2)
    for label, reduce in (("reduced", True), ("full", False)):
        best = None
        for _ in range(repeats):
            began = time.perf_counter()
            solution = solve(instance, "highs", SolverOptions(reduce=reduce), formulation)
            seconds = time.perf_counter() - began
            if best is None or seconds < best[0]:
                best = (seconds, solution)
        assert best is not None
        seconds, solution = best
        row[f"{label}_s"] = round(seconds, 3)
        row[f"{label}_status"] = solution.status.value
        row[f"{label}_objective"] = solution.objective
        if reduce:
            row["lp_s"] = round(_phase_seconds(solution.phases, "LP bound"), 3)
            row["kernel_s"] = round(_phase_seconds(solution.phases, "kernel"), 3)
            row["note"] = str(solution.phases[-1].get("note", ""))
    row["same_optimum"] = (
        row["reduced_status"] == row["full_status"] == "optimal"
        and abs(float(row["reduced_objective"]) - float(row["full_objective"]))
        <= 1e-6 * max(1.0, abs(float(row["full_objective"])))
    )
    row["ratio"] = round(row["reduced_s"] / row["full_s"], 3)
    return row


def _phase_seconds(phases: list[dict[str, object]], part: str) -> float:
    return sum(float(str(p["seconds"])) for p in phases if part in str(p["phase"]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated case names")
    parser.add_argument("--quick", action="store_true", help=f"only {', '.join(QUICK)}")
    parser.add_argument("--repeats", type=int, default=1, help="best of this many solves")
    parser.add_argument("--out", default=str(ROOT / "results"))
    args = parser.parse_args(argv)
    names = QUICK if args.quick else [n for n in args.cases.split(",") if n]
    unknown = [n for n in names if n not in CASES]
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(CASES)}")
    rows = []
    for name in names:
        if name.startswith("sjc") and not (DATA / "mclp" / "sjc").is_dir():
            print(f"  {name}: {DATA / 'mclp' / 'sjc'} not found, skipped", flush=True)
            continue
        row = run_case(name, CASES[name], max(1, args.repeats))
        print(f"  {row}", flush=True)
        rows.append(row)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(rows)
    frame.to_csv(out / "perf_reduce.csv", index=False)
    shown = frame.drop(columns=[c for c in frame.columns if c.endswith("_objective")] + ["note"])
    table = tabulate(shown, headers="keys", tablefmt="github", showindex=False, floatfmt=".3g")
    (out / "perf_reduce.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
