"""The peer as a command: PySAL spopt's maximal covering model on a file, PuLP + CBC.

    python -m benchmarks.spopt_mclp FILE S p [--json]

Reads FILE with its own simple parsing, independent of posture's reader:

- ``*.coords.txt`` (SJC): first line ``n``, then ``x y`` per node, with ``*.demand.dat`` beside
  it (one demand per node);
- anything else (Swain): an optional first line ``n``, then ``id x y demand`` per node (commas
  allowed, as in ``swain.dat``).

Every node is a demand point and a candidate site. The dense Euclidean cost matrix goes to
``spopt.locate.MCLP.from_cost_matrix`` (service radius S, p facilities), solved with
``pulp.PULP_CBC_CMD(msg=False)``; it prints the status and the objective (covered demand), or
with ``--json`` one JSON object that also holds the seconds of each step (imports, read,
build, solve) and the number of covering pairs.
"""

from __future__ import annotations

import argparse
import json
import time

BEGAN = time.perf_counter()

from pathlib import Path  # noqa: E402  (the clock above also times the imports, as a command pays them)

import numpy as np  # noqa: E402
import pulp  # noqa: E402, F401  (timed here, used by run_spopt)
import spopt.locate  # noqa: E402, F401
from scipy.spatial.distance import cdist  # noqa: E402, F401

IMPORTED = time.perf_counter()
COORDS_SUFFIX = ".coords.txt"


def _rows(path: Path) -> list[list[float]]:
    text = path.read_text().replace(",", " ")
    return [[float(v) for v in line.split()] for line in text.splitlines() if line.strip()]


def read_file(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates (n x 2) and demands (n) of an SJC coords file or a Swain-style file."""
    if path.name.lower().endswith(COORDS_SUFFIX):
        rows = _rows(path)
        xy = np.array(rows[1:], dtype=float)
        stem = path.name[: -len(COORDS_SUFFIX)]
        demand = np.array([r[0] for r in _rows(path.with_name(f"{stem}.demand.dat"))])
    else:
        rows = _rows(path)
        if len(rows[0]) == 1:  # the node count
            rows = rows[1:]
        table = np.array(rows, dtype=float)
        xy, demand = table[:, 1:3], table[:, 3]
    if xy.shape != (len(demand), 2):
        raise SystemExit(f"{path}: {len(xy)} nodes but {len(demand)} demands")
    return xy, demand


def solve_file(path: Path, radius: float, p: int) -> dict[str, object]:
    """The file read here, then the same spopt model and solve as the in-process comparison
    (:func:`benchmarks.perf_peer.run_spopt`)."""
    from benchmarks.perf_peer import run_spopt

    read_began = time.perf_counter()
    xy, demand = read_file(path)
    read_s = time.perf_counter() - read_began
    run = run_spopt(path.name, xy, demand, xy, radius, p)
    return {
        "tool": "spopt",
        "file": str(path),
        "nodes": len(xy),
        "S": radius,
        "p": p,
        "pairs": run["pairs"],
        "status": run["status"],
        "objective": run["objective"],
        "import_s": IMPORTED - BEGAN,
        "read_s": read_s,
        "build_s": run["build_s"],
        "solve_s": run["solve_s"],
        "total_s": time.perf_counter() - BEGAN,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="spopt MCLP (PuLP + CBC) on an MCLP file")
    parser.add_argument("file", type=Path)
    parser.add_argument("radius", type=float, help="coverage distance S")
    parser.add_argument("p", type=int, help="number of sites to open")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = solve_file(args.file, args.radius, args.p)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"status: {result['status']}\nobjective: {result['objective']:g}")


if __name__ == "__main__":
    main()
