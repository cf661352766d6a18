"""The portfolio against each backend alone, and the OR-Library NRE/NRF sets with it.

Each case is solved in this process by HiGHS, by CBC and by ``--solver portfolio`` (the
race forks from here), one after the other, so the ratios come from one run on the same
machine state; the load average is recorded beside them (the machine is shared). Seconds
are the solve's (build excluded: it is the same for all three). ``ratio_vs_best`` is the
portfolio's seconds over the faster backend's, ``ratio_vs_highs`` over HiGHS' (the default).

``--nr`` also solves OR-Library scpnre1-5 and scpnrf1-5 with the portfolio alone (each is
long: HiGHS took 131 s on scpnre1, CBC 536 s) and checks each against its proven optimum.

    python -m benchmarks.perf_portfolio [--nr] [--cases baseline,sjc818,...]

Writes results/perf_portfolio.csv (and results/perf_portfolio_nr.csv with --nr).
"""

from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path
from typing import Any

from benchmarks import DATA, ROOT

ORLIB = DATA / "orlib-scp"
CASES: dict[str, tuple[str, str, dict[str, Any]]] = {
    # name: (path, format, reader arguments)
    "baseline": (str(ROOT / "instances" / "baseline.yaml"), "posture", {}),
    "sjc818-p10": (
        str(DATA / "mclp" / "sjc" / "SJC818.coords.txt"), "mclp", {"radius": 800, "stations": 10}
    ),
    "scp61": (str(ORLIB / "scp61.txt"), "orlib-scp", {}),
    "scpa1": (str(ORLIB / "scpa1.txt"), "orlib-scp", {}),
    "scpd1": (str(ORLIB / "scpd1.txt"), "orlib-scp", {}),
}  # fmt: skip
NR = [f"scpnrf{i}" for i in range(1, 6)] + [f"scpnre{i}" for i in range(1, 6)]  # NRF: quicker


def solve_case(path: str, fmt: str, reader: dict[str, Any], solver: str) -> dict[str, Any]:
    from optimizer.api import solve_instance
    from optimizer.instance.formats import load_any

    instance = load_any(path, fmt, reader.get("radius"), reader.get("stations"))
    result = solve_instance(instance, solver, instance_file=path)  # the path of posture solve
    solution = result.solution
    seconds = result.timings["solve_s"]  # the solve alone, as timed before the report
    won = next((str(r["backend"]) for r in solution.race if r["won"]), solver)
    return {
        "solver": solver,
        "seconds": round(seconds, 3),
        "status": solution.status.value,
        "objective": solution.objective,
        "winner": won,
        "race": "; ".join(
            f"{r['backend']} {r['ended']} {float(r['seconds'] or 0):.2f} s" for r in solution.race
        ),
    }


def compare(names: list[str], echo) -> list[dict[str, Any]]:
    rows = []
    for name in names:
        path, fmt, reader = CASES[name]
        if not Path(path).is_file():
            echo(f"  {name}: {path} not found, skipped")
            continue
        load = os.getloadavg()[0]
        got = {s: solve_case(path, fmt, reader, s) for s in ("highs", "cbc", "portfolio")}
        best = min(got["highs"]["seconds"], got["cbc"]["seconds"])
        row = {
            "case": name,
            "load_avg_1min": round(load, 2),
            **{f"{s}_s": got[s]["seconds"] for s in got},
            **{f"{s}_status": got[s]["status"] for s in got},
            "objective": got["portfolio"]["objective"],
            "same_objective": len({round(float(g["objective"] or 0), 6) for g in got.values()})
            == 1,
            "winner": got["portfolio"]["winner"],
            "race": got["portfolio"]["race"],
            "ratio_vs_best": round(got["portfolio"]["seconds"] / best, 3),
            "ratio_vs_highs": round(got["portfolio"]["seconds"] / got["highs"]["seconds"], 3),
        }
        echo(f"  {row}")
        rows.append(row)
    return rows


def nr_sets(echo) -> list[dict[str, Any]]:
    optima = {}
    with open(ORLIB / "optima.csv") as f:
        for record in csv.reader(f):
            if record and record[0].startswith("scp"):
                optima[record[0]] = float(record[1])
    rows = []
    for name in NR:
        load = os.getloadavg()[0]
        got = solve_case(str(ORLIB / f"{name}.txt"), "orlib-scp", {}, "portfolio")
        row = {
            "instance": name,
            "known": optima.get(name),
            "load_avg_1min": round(load, 2),
            **got,
            "proven": got["status"] == "optimal" and got["objective"] == optima.get(name),
        }
        echo(f"  {row}")
        rows.append(row)
    return rows


def write(rows: list[dict[str, Any]], path: Path) -> None:
    if not rows:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated case names")
    parser.add_argument("--nr", action="store_true", help="also OR-Library NRE and NRF")
    parser.add_argument("--out", default=str(ROOT / "results"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    names = [n for n in args.cases.split(",") if n]
    print(f"portfolio against each backend ({os.cpu_count()} cores) ...", flush=True)
    write(compare(names, lambda s: print(s, flush=True)), out / "perf_portfolio.csv")
    if args.nr:
        print("OR-Library NRE and NRF with the portfolio ...", flush=True)
        write(nr_sets(lambda s: print(s, flush=True)), out / "perf_portfolio_nr.csv")


if __name__ == "__main__":
    main()
