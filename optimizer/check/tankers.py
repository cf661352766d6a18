"""F2 re-derived: can the plan's tanker orbits give its refuelled receivers the fuel they need?

From SPEC 8 F2 and the instance format: a refuelled station of a pool with a ``receptacle``
needs (sorties a day x aar_fuel_t) tonnes a day; a placed orbit of a tanker pool with
``offload_t_per_day`` gives at most that much a day, only to stations within its
``support_radius_km`` whose receptacle it serves (boom <- boom, probe <- drogue). Whether the
placed orbits can cover every demand is a transportation problem, solved here as its own LP
(scipy's HiGHS) with a slack per demand: the slack left over is the fuel short.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from optimizer.check.report import CheckReport
from optimizer.check.rules import Placed
from optimizer.instance.geometry import haversine_km
from optimizer.instance.schema import Instance

SERVES = {"boom": "boom", "probe": "drogue"}


def check_tankers(instance: Instance, placed: list[Placed], report: CheckReport) -> None:
    if not instance.scenario.enabled("C4"):
        return
    demands = [p for p in placed if p.needs_tanker and p.pool.receptacle is not None]
    if not demands:
        return
    orbits = [p for p in placed if (p.pool.offload_t_per_day or 0.0) > 0 and not p.needs_tanker]
    pairs = []
    for i, r in enumerate(demands):
        system = SERVES[r.pool.receptacle or "boom"]
        for k, o in enumerate(orbits):
            reach = o.pool.support_radius_km
            km = float(haversine_km(r.station.lat, r.station.lon, o.station.lat, o.station.lon))
            if system in o.pool.refuelling and (reach is None or km <= reach + 1e-9):
                pairs.append((i, k))
    n_pairs, n_d = len(pairs), len(demands)
    need = np.array([r.n * r.keep.fuel_t_per_day for r in demands])
    give = np.array([o.n * (o.pool.offload_t_per_day or 0.0) for o in orbits])
    # variables: one flow per pair, then one slack per demand; minimise the slack
    c = np.concatenate([np.zeros(n_pairs), np.ones(n_d)])
    a_eq = np.zeros((n_d, n_pairs + n_d))
    a_ub = np.zeros((len(orbits), n_pairs + n_d))
    for j, (i, k) in enumerate(pairs):
        a_eq[i, j] = 1.0
        a_ub[k, j] = 1.0
    a_eq[np.arange(n_d), n_pairs + np.arange(n_d)] = 1.0
    result = linprog(
        c,
        A_ub=a_ub if len(orbits) else None,
        b_ub=give if len(orbits) else None,
        A_eq=a_eq,
        b_eq=need,
        bounds=(0, None),
        method="highs",
    )
    short = result.x[n_pairs:] if result.status == 0 else need
    for r, missing in zip(demands, short, strict=True):
        if missing > 1e-6 * max(1.0, float(need.sum())):
            report.add(
                "F2",
                r.where,
                f"{missing:.4g} t/day of its {r.n * r.keep.fuel_t_per_day:.4g} t/day cannot come "
                f"from a placed tanker orbit serving {r.pool.receptacle} receptacles in reach",
                missing,
            )
