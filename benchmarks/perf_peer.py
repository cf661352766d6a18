"""Against the peer: PySAL spopt's maximal covering model (PuLP + CBC) and posture (HiGHS).

Both run in this process on the same data: demand points with weights, candidate sites, a
Euclidean coverage radius S and p sites to open. spopt gets the dense cost matrix it asks for
(``MCLP.from_cost_matrix``); posture gets the ordinary maximal covering instance (a sector per
demand point, a station per site with its explicit ``covers`` list, one pool of p units, O1 in
threshold mode) and runs its own path: instance validation, compile, build, solve, report.

Build time includes whatever each tool needs from the coordinates onwards (the distance matrix
for spopt, the covering lists and the validated instance for posture); total is build + solve
(+ report for posture). Both optimal objectives (covered demand) must agree.
"""

from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

SJC_FOLDER = "mclp/sjc"


def random_case(
    seed: int = 0, n_demand: int = 10_000, n_sites: int = 1_000, share: float = 0.01
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Uniform points in a 10 km square, integer demands 1..100, S so a site covers ~``share``."""
    rng = np.random.default_rng(seed)
    demand_xy = rng.uniform(0, 10_000, (n_demand, 2))
    weights = rng.integers(1, 101, n_demand).astype(float)
    site_xy = rng.uniform(0, 10_000, (n_sites, 2))
    sample = np.linalg.norm(site_xy[:200, None, :] - demand_xy[None, :, :], axis=2)
    radius = float(np.quantile(sample, share))  # edge effects included
    return demand_xy, weights, site_xy, round(radius, 3)


def covering_lists(demand_xy: np.ndarray, site_xy: np.ndarray, radius: float) -> list[np.ndarray]:
    """For each site, the demand points within Euclidean distance <= radius (sorted)."""
    tree = cKDTree(demand_xy)
    hits = tree.query_ball_point(site_xy, radius * (1 + 1e-9) + 1e-9, return_sorted=True)
    out = []
    for j, found in enumerate(hits):
        idx = np.asarray(found, dtype=np.int64)
        d = np.sqrt(((demand_xy[idx] - site_xy[j]) ** 2).sum(axis=1))
        out.append(idx[d <= radius])
    return out


def posture_instance(name: str, weights: np.ndarray, covers: list[np.ndarray], p: int):
    """The maximal covering instance exactly as optimizer.instance.mclp builds it."""
    from optimizer.instance.mclp import covering_data
    from optimizer.instance.schema import Instance

    return Instance.model_validate(covering_data(name, weights, covers, p))


def run_posture(
    name: str,
    demand_xy: np.ndarray,
    weights: np.ndarray,
    site_xy: np.ndarray,
    radius: float,
    p: int,
) -> dict[str, Any]:
    from optimizer.api import solve_instance

    began = time.perf_counter()
    covers = covering_lists(demand_xy, site_xy, radius)
    instance = posture_instance(name, weights, covers, p)
    prepared = time.perf_counter()
    result = solve_instance(instance, "highs")  # the one solve path of posture solve
    done = time.perf_counter()
    solution = result.solution
    built = prepared + result.timings["build_s"]
    solved = built + result.timings["solve_s"]
    return {
        "tool": "posture (HiGHS)",
        "build_s": built - began,
        "solve_s": solved - built,
        "report_s": done - solved,
        "total_s": done - began,
        "status": solution.status.value,
        "objective": solution.objective,
        "pairs": int(sum(len(c) for c in covers)),
    }


def run_spopt(
    name: str,
    demand_xy: np.ndarray,
    weights: np.ndarray,
    site_xy: np.ndarray,
    radius: float,
    p: int,
) -> dict[str, Any]:
    import pulp
    from scipy.spatial.distance import cdist
    from spopt.locate import MCLP

    warnings.simplefilter("ignore")
    began = time.perf_counter()
    cost = cdist(demand_xy, site_xy)
    model = MCLP.from_cost_matrix(cost, weights, service_radius=radius, p_facilities=p, name=name)
    built = time.perf_counter()
    model.solve(pulp.PULP_CBC_CMD(msg=False))
    done = time.perf_counter()
    status = pulp.LpStatus[model.problem.status]
    return {
        "tool": "spopt (PuLP + CBC)",
        "build_s": built - began,
        "solve_s": done - built,
        "report_s": 0.0,
        "total_s": done - began,
        "status": "optimal" if status == "Optimal" else status.lower(),
        "objective": float(pulp.value(model.problem.objective)),
        "pairs": int((cost <= radius).sum()),
    }


def compare(
    name: str,
    demand_xy: np.ndarray,
    weights: np.ndarray,
    site_xy: np.ndarray,
    radius: float,
    p: int,
) -> list[dict[str, Any]]:
    """Rows for both tools on one case, with the speed-up of posture and the agreement check."""
    ours = run_posture(name, demand_xy, weights, site_xy, radius, p)
    peer = run_spopt(name, demand_xy, weights, site_xy, radius, p)
    agree = (
        ours["status"] == peer["status"] == "optimal"
        and ours["pairs"] == peer["pairs"]
        and abs(float(ours["objective"]) - peer["objective"]) <= 1e-6 * max(1.0, peer["objective"])
    )
    rows = []
    for row in (peer, ours):
        rows.append(
            {
                "case": name,
                "demand": len(weights),
                "sites": len(site_xy),
                "S": radius,
                "p": p,
                **row,
                "same_optimum": agree,
                "speedup_total": peer["total_s"] / row["total_s"],
            }
        )
    return rows


def sjc_case(benchmarks: str, code: str = "SJC818") -> tuple[np.ndarray, np.ndarray]:
    """Coordinates and demands of an SJC file, read where it lies (never copied)."""
    from pathlib import Path

    from optimizer.instance.mclp import read_nodes

    return read_nodes(Path(benchmarks) / SJC_FOLDER / f"{code}.coords.txt")
