"""Seeded random maximal covering files in the Swain format that ``posture solve`` reads.

A file holds ``n`` on its first line, then ``id x y demand`` per node (as
``../shared/benchmarks/mclp/swain/swain.txt``; read by :func:`optimizer.instance.mclp.read_nodes`).
Every node is a demand point and a candidate site. Coordinates are integers in a 10 km square
(metres), demands integers 1..100, all drawn from ``numpy.random.default_rng(seed)``, so the
same seed gives a byte-identical file.

The radius S is chosen so that a site covers about ``share`` of the nodes on average (itself
included, edge effects included): the ``share`` quantile of all pairwise distances, put
halfway between two integers. Squared distances between integer points are integers and
``(k + 0.5)**2`` never is, so no node lies exactly at distance S: every tool, whatever its
rounding, sees the same covering pairs.

A file name that is not ``swain.txt`` is not recognised as a maximal covering file by its name;
give ``--format mclp`` (or just ``--radius`` and ``--stations``)::

    python -m benchmarks.mclp_random --nodes 3000 --seed 1 --out results/perf_peer_cmd
    posture solve results/perf_peer_cmd/mclp-random-n3000-seed1.txt --format mclp \\
        --radius S --stations 30
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.spatial.distance import pdist

SIDE_M = 10_000  # the square's side, metres
MAX_DEMAND = 100


@dataclass(frozen=True)
class RandomFile:
    """A generated file and what it takes to repeat the solve on it."""

    path: Path
    nodes: int
    seed: int
    radius: float
    mean_covered: float  # nodes within S of a site, averaged over sites (itself included)


def random_nodes(nodes: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Integer coordinates (n x 2) in [0, SIDE_M] and integer demands 1..MAX_DEMAND."""
    rng = np.random.default_rng(seed)
    xy = rng.integers(0, SIDE_M + 1, (nodes, 2))
    demand = rng.integers(1, MAX_DEMAND + 1, nodes)
    return xy, demand


def radius_for_share(xy: np.ndarray, share: float) -> tuple[float, float]:
    """S (an integer + 0.5) so a site covers about ``share`` of the nodes; and the mean count."""
    distances = pdist(xy.astype(float))
    radius = math.floor(float(np.quantile(distances, share))) + 0.5
    # each pair within S counts for both of its sites; every site covers itself
    mean_covered = 1 + 2 * int((distances <= radius).sum()) / len(xy)
    return radius, mean_covered


def swain_text(xy: np.ndarray, demand: np.ndarray) -> str:
    lines = [str(len(xy))]
    lines += [f"{i + 1} {x} {y} {d}" for i, ((x, y), d) in enumerate(zip(xy, demand, strict=True))]
    return "\n".join(lines) + "\n"


def write_random_file(folder: Path, nodes: int, seed: int, share: float = 0.01) -> RandomFile:
    """Write ``mclp-random-n<nodes>-seed<seed>.txt`` into ``folder``; return it with its S."""
    xy, demand = random_nodes(nodes, seed)
    radius, mean_covered = radius_for_share(xy, share)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"mclp-random-n{nodes}-seed{seed}.txt"
    path.write_text(swain_text(xy, demand))
    return RandomFile(path, nodes, seed, radius, mean_covered)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="seeded random Swain-format MCLP files")
    parser.add_argument("--nodes", type=int, default=3_000)
    parser.add_argument("--seed", type=int, nargs="+", default=[1])
    parser.add_argument("--share", type=float, default=0.01, help="share of nodes a site covers")
    parser.add_argument("--out", default="results/perf_peer_cmd", help="folder for the files")
    args = parser.parse_args(argv)
    for seed in args.seed:
        made = write_random_file(Path(args.out), args.nodes, seed, args.share)
        print(f"{made.path}  S = {made.radius:g}  (a site covers {made.mean_covered:.1f} nodes)")


if __name__ == "__main__":
    main()
