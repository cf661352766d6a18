"""What a plan covers (SPEC 4, R1-R3), computed from the plan's station counts alone.

Coverage is recomputed from the integer plan, not read from the solver's y and z columns, so
the figures are the same whichever backend produced the plan and whatever slack it left.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from optimizer.instance.schema import SectorKind
from optimizer.model.data import ASSET_CLASSES, ModelData
from optimizer.model.evaluate import Coverage
from optimizer.model.evaluate import coverage as coverage  # re-exported for the analyses
from optimizer.model.tankers import supporting_orbits
from optimizer.results import shipping

KINDS = list(SectorKind)
FRONT, AIR, SEA = (KINDS.index(k) for k in (SectorKind.FRONT, SectorKind.AIR, SectorKind.SEA))


def headline(data: ModelData, cov: Coverage) -> dict[str, Any]:
    """R1 and R2: miles of front, the longest uncovered stretch, airspace and sea coverage."""
    inst = data.instance
    threshold = inst.scenario.coverage_threshold
    front = np.flatnonzero(data.k_kind == FRONT)
    # every front sector has an order (the schema requires it)
    front = front[np.argsort([inst.sectors[k].order or 0 for k in front], kind="stable")]
    miles = data.k_length[front]
    z = cov.sector[front]
    total = float(miles.sum())
    covered = float(miles @ z)
    stretch = _longest_run(front, miles, z < threshold - 1e-9)
    first = _endpoint(inst.sectors[stretch[1]], "start") if stretch[0] else None
    last = _endpoint(inst.sectors[stretch[2]], "end") if stretch[0] else None
    out: dict[str, Any] = {
        "front_sectors": len(front),
        "front_miles_total": total,
        "front_miles_covered": covered,
        "front_pct": 100.0 * covered / total if total else None,
        "front_sectors_below_threshold": int((z < threshold - 1e-9).sum()),
        "coverage_threshold": threshold,
        "longest_uncovered_miles": stretch[0],
        "longest_uncovered_from": first,
        "longest_uncovered_to": last,
    }
    air = data.k_kind == AIR
    out["air_coverage"] = _weighted(cov.sector[air], data.k_weight[air])
    sea = np.flatnonzero(data.k_kind == SEA)
    nm = data.k_length[sea]
    out["sea_nm_total"] = float(nm.sum())
    out["sea_nm_escorted"] = float(nm @ cov.sector[sea])
    transits = np.array([inst.sectors[k].monthly_transits or 0.0 for k in sea], dtype=float)
    per_leg = transits if transits.sum() > 0 else nm
    out["sea_coverage"] = _weighted(cov.sector[sea], data.k_weight[sea])
    # leg by leg (a leg-transit counts, not a voyage); see optimizer.results.shipping
    out["shipping_protected_per_leg"] = _weighted(cov.sector[sea], per_leg)
    out.update(shipping.end_to_end(inst, cov.sector))
    out.update(training_output(data, cov))
    return out


def training_output(data: ModelData, cov: Coverage) -> dict[str, object]:
    """F5: trainees a year the plan delivers against the sectors' needs, and brigades."""
    needy = data.r_trainees
    if not needy.any():
        return {}
    need = data.r_req[needy]
    delivered = np.minimum(cov.effective[needy], need)
    strength = data.instance.scenario.brigade_strength
    return {
        "training_need_per_year": float(12 * need.sum()),
        "training_trainees_per_year": float(12 * delivered.sum()),
        "training_brigades_per_year": float(12 * delivered.sum() / strength),
        "training_brigades_needed_per_year": float(12 * need.sum() / strength),
        "brigade_strength": strength,
    }


def tables(data: ModelData, counts: np.ndarray, cov: Coverage) -> dict[str, pd.DataFrame]:
    """R3: per sector, plan, pool, base and nation."""
    inst = data.instance
    caps = [c.id for c in inst.capabilities]
    sectors = pd.DataFrame(
        {
            "sector": [s.id for s in inst.sectors],
            "kind": [s.kind.value for s in inst.sectors],
            "name": [s.name for s in inst.sectors],
            "order": [s.order for s in inst.sectors],
            "length": data.k_length,
            "weight": data.k_weight,
            "coverage": cov.sector,
        }
    )
    for c, cap_id in enumerate(caps):
        col = np.full(len(inst.sectors), np.nan)
        mask = data.r_cap == c
        if mask.any():
            col[data.r_sector[mask]] = cov.capability[mask]
            sectors[f"cov_{cap_id}"] = col
    # binding requirement: the capability with the lowest coverage in the sector
    order = np.lexsort((cov.capability, data.r_sector))
    first = order[np.searchsorted(data.r_sector[order], np.arange(len(inst.sectors)))]
    sectors["binding"] = [caps[c] for c in data.r_cap[first]]

    placed = np.flatnonzero(counts > 0.5)
    tp, tb, ts = data.t_pool[placed], data.t_base[placed], data.t_station[placed]
    orbits = supporting_orbits(data, counts)  # F2: the tanker orbits refuelling each row
    n_st = counts[placed]
    plan = pd.DataFrame(
        {
            "pool": [inst.pools[p].id for p in tp],
            "nation": [inst.pools[p].nation for p in tp],
            "capability": [inst.pools[p].capability for p in tp],
            "base": [inst.bases[b].id for b in tb],
            "station": [inst.stations[s].id for s in ts],
            "stations": n_st.astype(int),
            "units": n_st * data.t_units[placed],
            "units_per_station": data.t_units[placed],
            "distance_km": data.t_dist_km[placed],
            "time_on_station_h": data.t_tos_h[placed],
            "needs_tanker": data.t_tanker[placed],
            "tanker_orbit": [orbits[t] for t in placed],
            # F3: risk of one station at this post (the C9 budget sums stations x risk)
            "escalation_risk": data.s_risk[ts],
            "cost": n_st * data.t_cost[placed],
        }
    )

    n_p = len(inst.pools)
    used_units = np.bincount(data.t_pool, weights=counts * data.t_units, minlength=n_p)
    used_st = np.bincount(data.t_pool, weights=counts, minlength=n_p)
    pools = pd.DataFrame(
        {
            "pool": [p.id for p in inst.pools],
            "nation": [p.nation for p in inst.pools],
            "capability": [p.capability for p in inst.pools],
            "units_offered": data.p_units,
            "units_used": used_units,
            "stations": used_st.astype(int),
            "use_pct": np.divide(
                100 * used_units, data.p_units, out=np.zeros(n_p), where=data.p_units > 0
            ),
            "usable": data.p_usable,
            "us_dependent": data.p_us_dependent,
            "cost": np.bincount(data.t_pool, weights=counts * data.t_cost, minlength=n_p),
        }
    )

    base_rows = []
    n_cls = len(ASSET_CLASSES)
    placed_units = counts[placed] * data.t_units[placed]  # only placed triples load a base
    loads = np.bincount(
        tb * n_cls + data.p_class[tp], weights=placed_units, minlength=len(inst.bases) * n_cls
    )
    for b, base in enumerate(inst.bases):
        for a, cls in enumerate(ASSET_CLASSES):
            load = float(loads[b * n_cls + a])
            cap = base.capacity.get(cls)
            if cap is None and load == 0:
                continue
            base_rows.append(
                {
                    "base": base.id,
                    "country": base.country,
                    "asset_class": cls,
                    "load": load,
                    "capacity": cap if cap is not None else 0.0,
                    "load_pct": 100 * load / cap if cap else (0.0 if load == 0 else np.inf),
                }
            )
    bases = pd.DataFrame(
        base_rows, columns=["base", "country", "asset_class", "load", "capacity", "load_pct"]
    )

    # A nation's share of coverage: its share of the weighted effective stations present.
    weights = data.k_weight[data.r_sector] / data.r_req
    per_triple = np.asarray(data.effective_cover().T @ weights).ravel() * counts
    n_n = len(inst.nations)
    nat_of_t = data.p_nation[data.t_pool]
    share = np.bincount(nat_of_t, weights=per_triple, minlength=n_n)
    nations = pd.DataFrame(
        {
            "nation": [n.id for n in inst.nations],
            "units": np.bincount(nat_of_t, weights=counts * data.t_units, minlength=n_n),
            "stations": np.bincount(nat_of_t, weights=counts, minlength=n_n).astype(int),
            "coverage_share": share / share.sum() if share.sum() > 0 else np.zeros(n_n),
        }
    )
    return {"sectors": sectors, "plan": plan, "pools": pools, "bases": bases, "nations": nations}


def _weighted(values: np.ndarray, weights: np.ndarray) -> float | None:
    total = float(weights.sum())
    return float(values @ weights) / total if total > 0 else None


def _longest_run(
    index: np.ndarray, miles: np.ndarray, uncovered: np.ndarray
) -> tuple[float, int, int]:
    best = (0.0, -1, -1)
    run_miles, run_start = 0.0, -1
    for i, flag in enumerate(uncovered):
        if flag:
            if run_start < 0:
                run_start, run_miles = i, 0.0
            run_miles += float(miles[i])
            if run_miles > best[0] + 1e-12:
                best = (run_miles, int(index[run_start]), int(index[i]))
        else:
            run_start = -1
    return best


def _endpoint(sector, which: str) -> dict[str, object]:
    point = getattr(sector, which)
    lat, lon = point if point is not None else (sector.lat, sector.lon)
    return {"sector": sector.id, "name": sector.name, "lat": lat, "lon": lon}
