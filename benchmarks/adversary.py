"""Timing of the adversary and coalition analyses on the baseline; writes results/adversary.csv.

Rows (each its wall time in this process, with the machine's load average beside it):
- attack on bases, k = 1..K: cutting planes (all k in one run, cuts shared), and enumeration of
  every k-strike for k up to --enumerate-up-to; the ratio enumeration / cutting planes per k
  and whether their optima agree;
- the worst k-nation withdrawals, k = 1..K, the same two ways;
- contributions (leave-one-out, sampled Shapley values, worst withdrawals) with --jobs 1 and
  --jobs 2 (--contributions-jobs), the ratio of the two.

    python -m benchmarks.adversary [--instance instances/baseline.yaml] [--k 3]
        [--enumerate-up-to 2] [--permutations 10] [--contributions-jobs 1,2] [--out results]
        [--set scenario.tie_break=false]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import pandas as pd

from optimizer.analysis.attack import attack
from optimizer.analysis.batch import Batch, base_of
from optimizer.analysis.contributions import Game, contributions, worst_withdrawals
from optimizer.analysis.tables import to_markdown


def _load() -> float:
    return os.getloadavg()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", default="instances/baseline.yaml")
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--enumerate-up-to", type=int, default=2)
    parser.add_argument("--permutations", type=int, default=10)
    parser.add_argument("--contributions-jobs", default="1,2")
    parser.add_argument("--attack-jobs", type=int, default=2)
    parser.add_argument("--out", default="results")
    parser.add_argument(
        "--set", dest="sets", action="append", default=[], help="fixed override (repeatable)"
    )
    args = parser.parse_args()
    base = base_of(args.instance, fixed=tuple(args.sets))
    rows: list[dict[str, object]] = []

    def add(task: str, k: int | None, method: str, jobs: int, seconds: float, **extra: object):
        rows.append(
            {
                "task": task,
                "k": k,
                "method": method,
                "jobs": jobs,
                "seconds": seconds,
                "load_avg_1min": _load(),
                **extra,
            }
        )
        print(rows[-1], flush=True)

    # attack on bases: cutting planes for k = 1..K (one run), enumeration per k
    began = time.perf_counter()
    cuts = attack(base, k_max=args.k, check_up_to=0)
    total = time.perf_counter() - began
    for row in cuts.worst.to_dict("records"):
        add(
            "attack-bases",
            row["k"],
            "cutting-planes",
            1,
            row["seconds"],
            objective=row["objective"],
            removed=row["removed"],
            status=row["status"],
            evaluated=row["evaluated"],
            run_seconds=total,
        )
    for k in range(1, args.enumerate_up_to + 1):
        began = time.perf_counter()
        enum = attack(base, k_max=k, method="enumeration", jobs=args.attack_jobs)
        row = enum.worst[enum.worst["k"] == k].iloc[0]
        seconds = time.perf_counter() - began
        reference = cuts.worst[cuts.worst["k"] == k].iloc[0]
        add(
            "attack-bases",
            k,
            "enumeration",
            args.attack_jobs,
            seconds,
            objective=row["objective"],
            removed=row["removed"],
            status=row["status"],
            evaluated=row["evaluated"],
            agree=abs(row["objective"] - reference["objective"]) < 1e-6,
            ratio_to_cutting_planes=seconds / max(1e-9, reference["seconds"]),
        )

    # worst withdrawals of k nations
    game = Game.of(base.instance())
    batch = Batch(base)
    everyone = batch.one(game.overrides(game.players))
    v, f = everyone["objective"], everyone["front_miles_covered"]
    found = worst_withdrawals(game, batch, args.k, "cutting-planes", v, f)
    for row in found.to_dict("records"):
        add(
            "worst-withdrawals",
            row["k"],
            "cutting-planes",
            1,
            row["seconds"],
            objective=row["objective"],
            removed=row["removed"],
            status=row["status"],
            evaluated=row["evaluated"],
        )

    # contributions with 1 and 2 jobs
    timings = {}
    for jobs in (int(j) for j in args.contributions_jobs.split(",")):
        began = time.perf_counter()
        result = contributions(base, permutations=args.permutations, worst_k=args.k, jobs=jobs)
        timings[jobs] = time.perf_counter() - began
        add(
            "contributions",
            args.k,
            f"{args.permutations} orders",
            jobs,
            timings[jobs],
            objective=result.v_all,
            solves=result.solves,
            ratio_to_jobs_1=timings[jobs] / timings[min(timings)],
        )
    table = pd.DataFrame(rows)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "adversary.csv", index=False)
    (out / "adversary.md").write_text(to_markdown(table) + "\n")
    print(to_markdown(table))


if __name__ == "__main__":
    main()
