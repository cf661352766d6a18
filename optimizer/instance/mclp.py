"""Maximal covering location files (Swain, SJC) read as ordinary posture instances (SPEC 7, B1).

Files understood:

- Swain ``swain.txt``: first line ``n``, then ``id x y demand`` per node; ``swain.dat`` is the
  same with commas (``ID, X, Y, population``).
- SJC ``SJC<n>.coords.txt`` (first line ``n``, then ``x y``) with ``SJC<n>.demand.dat`` beside
  it (one demand per node).
- SJC ``SJC<n>.informsjoc.txt``: header ``n 9999 p S``, then ``x y demand`` per node.

The instance follows the literature's convention: every node is a demand point (a sector of
kind ``air``, weight = demand, requirement ``{site: 1}``) and a candidate site (a station whose
explicit ``covers`` lists the nodes within Euclidean distance ``<= S``, found with a k-d tree).
One pool of ``p`` units (one per station) opens at most ``p`` sites; the objective is O1 in
threshold coverage mode, without the tie-break phase. Nodes are ``d1..dn`` (demand) and
``s1..sn`` (sites), numbered as in the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

from optimizer.instance.reader import InstanceError, _read_text, validate
from optimizer.instance.schema import Instance

CAPABILITY = "site"
OFF_FAMILIES = ("C2", "C3", "C4", "C7", "C8", "C9", "C10", "C11")
_SJC_COORDS = re.compile(r"^(.*)\.coords\.txt$", re.IGNORECASE)
_INFORMS = re.compile(r"\.informsjoc\.txt$", re.IGNORECASE)


def read_mclp(path: str | Path, radius: float, stations: int) -> Instance:
    """Read a maximal covering file and build the instance for coverage radius ``S`` and ``p``."""
    path = Path(path)
    if not np.isfinite(radius) or radius < 0:
        raise InstanceError(path, "radius", f"expected a distance >= 0, got {radius:g}")
    if stations < 0:
        raise InstanceError(path, "stations", f"expected p >= 0 sites, got {stations}")
    xy, demand = read_nodes(path)
    name = f"{_name(path)}-p{stations}-S{radius:g}"
    return mclp_instance(name, xy, demand, radius, stations, path)


def read_nodes(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Node coordinates (n x 2) and demands (n) from any of the supported files."""
    coords = _SJC_COORDS.match(path.name)
    if coords:
        xy = _table(path, 2, header=1)
        demand_path = path.with_name(f"{coords.group(1)}.demand.dat")
        demand = _table(demand_path, 1, header=0)[:, 0]
        if len(demand) != len(xy):
            raise InstanceError(
                demand_path, "", f"expected {len(xy)} demands (one per node), got {len(demand)}"
            )
        return xy, _demands(demand_path, demand)
    if _INFORMS.search(path.name):
        rows = _table(path, 3, header=4)
        return rows[:, :2], _demands(path, rows[:, 2])
    rows = _table(path, 4, header=1, optional_header=True)
    return rows[:, 1:3], _demands(path, rows[:, 3])


def mclp_instance(
    name: str, xy: np.ndarray, demand: np.ndarray, radius: float, p: int, path: Path
) -> Instance:
    """The posture instance of a maximal covering problem (validated like any other)."""
    data = covering_data(
        name,
        demand,
        covering_lists(xy, radius),
        p,
        description=f"maximal covering {name}: {len(xy)} nodes, S = {radius:g}, p = {p}",
        sector_names=[f"x={x:g} y={y:g}" for x, y in xy],
    )
    data["sources"] = {"data": f"maximal covering file {path.name}; Euclidean distance <= S"}
    return validate(data, path)


def covering_data(
    name: str,
    weights: np.ndarray,
    covers: list[np.ndarray],
    p: int,
    *,
    description: str = "",
    sector_names: list[str] | None = None,
) -> dict[str, object]:
    """Raw instance data of a maximal covering problem: demand points ``d1..dn`` (sectors,
    weight = demand), candidate sites ``s1..sm`` (stations with explicit ``covers``, indices
    into the demand points), one pool of ``p`` sites; O1, threshold mode, no tie-break."""
    sector_ids = [f"d{i + 1}" for i in range(len(weights))]
    return {
        "name": name,
        "description": description,
        "capabilities": [
            {"id": CAPABILITY, "asset_class": "aircraft", "description": "candidate site"}
        ],
        "nations": [{"id": "MCLP"}],
        "bases": [{"id": "depot", "country": "ZZ", "lat": 0.0, "lon": 0.0}],
        "sectors": [
            {
                "id": sector_ids[i],
                "kind": "air",
                "name": sector_names[i] if sector_names else "",
                "lat": 0.0,
                "lon": 0.0,
                "weight": float(w),
                "requirements": {CAPABILITY: 1},
            }
            for i, w in enumerate(weights)
        ],
        "stations": [
            {
                "id": f"s{j + 1}",
                "capability": CAPABILITY,
                "lat": 0.0,
                "lon": 0.0,
                "covers": [sector_ids[i] for i in site.tolist()],
            }
            for j, site in enumerate(covers)
        ],
        "pools": [
            {
                "id": "sites",
                "nation": "MCLP",
                "capability": CAPABILITY,
                "units": int(p),
                "units_per_station": 1,
                "bases": ["depot"],
            }
        ],
        "scenario": {
            "name": "mclp",
            "objective": "max-coverage",
            "coverage_mode": "threshold",
            "constraints": dict.fromkeys(OFF_FAMILIES, False),
            "tie_break": False,
        },
    }


def covering_lists(xy: np.ndarray, radius: float) -> list[np.ndarray]:
    """For each site, the nodes within Euclidean distance ``<= radius`` (sorted, itself included).

    The k-d tree query is widened by a hair and the pairs it returns are re-checked on squared
    distances, so a node exactly at distance S is covered whatever the rounding.
    """
    tree = cKDTree(xy)
    pairs = tree.query_pairs(radius * (1 + 1e-9) + 1e-9, output_type="ndarray")
    if len(pairs):
        d2 = ((xy[pairs[:, 0]] - xy[pairs[:, 1]]) ** 2).sum(axis=1)
        pairs = pairs[d2 <= radius * radius * (1 + 1e-12)]
    n = len(xy)
    site = np.concatenate([np.arange(n), pairs[:, 0], pairs[:, 1]])
    node = np.concatenate([np.arange(n), pairs[:, 1], pairs[:, 0]])
    order = np.lexsort((node, site))
    site, node = site[order], node[order]
    return np.split(node, np.searchsorted(site, np.arange(1, n)))


def _table(path: Path, width: int, header: int, optional_header: bool = False) -> np.ndarray:
    """Rows of ``width`` numbers after a header line of ``header`` fields, the first being n."""
    text = _read_text(path).replace(",", " ")
    lines = [(i, line.split()) for i, line in enumerate(text.splitlines(), start=1)]
    lines = [(i, parts) for i, parts in lines if parts]
    if not lines:
        raise InstanceError(path, "", "expected node data, the file is empty")
    declared = None
    if optional_header and len(lines[0][1]) != header:
        header = 0
    if header:
        lineno, first = lines[0]
        if len(first) != header:
            raise InstanceError(
                path, f"line {lineno}", f"expected a header of {header} field(s), got {len(first)}"
            )
        declared = _number(path, lineno, first[0])
        if declared < 1 or declared != round(declared):
            raise InstanceError(path, f"line {lineno}", f"expected a node count, got {first[0]}")
        lines = lines[1:]
    rows = []
    for lineno, parts in lines:
        if len(parts) != width:
            raise InstanceError(
                path, f"line {lineno}", f"expected {width} numbers per node, got {len(parts)}"
            )
        rows.append([_number(path, lineno, token) for token in parts])
    if declared is not None and len(rows) != int(declared):
        raise InstanceError(path, "", f"the header says {int(declared)} nodes, found {len(rows)}")
    if not rows:
        raise InstanceError(path, "", "expected at least one node")
    return np.array(rows, dtype=float)


def _number(path: Path, lineno: int, token: str) -> float:
    try:
        value = float(token)
    except ValueError:
        value = float("nan")
    if not np.isfinite(value):
        raise InstanceError(path, f"line {lineno}", f"expected a number, got {token[:40]!r}")
    return value


def _demands(path: Path, demand: np.ndarray) -> np.ndarray:
    if (demand < 0).any():
        node = int(np.flatnonzero(demand < 0)[0]) + 1
        raise InstanceError(path, f"node {node}", f"expected a demand >= 0, got {demand[node - 1]}")
    return demand


def _name(path: Path) -> str:
    stem = path.name
    for suffix in (".coords.txt", ".informsjoc.txt", ".txt", ".dat"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    cleaned = "".join(ch if ch.isalnum() or ch in "_.-" else "_" for ch in stem)
    return cleaned[:100] or "mclp"
