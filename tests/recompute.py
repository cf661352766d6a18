"""An independent check of a plan, in plain Python from the instance (not the model's arrays),
next to the project's verifier (tests/checking.py), which every checked plan also passes.

It reads the plan as (pool, base, station, stations) rows, re-derives admissibility (capability,
eligible base, range, US level, presence in Ukraine, ROE, straits) and the families C1, C2, C4,
C8-C11 by hand, recomputes every sector's coverage (C5, C6) and the objective, and returns the
objective. A broken rule fails the calling test with an AssertionError naming it.
"""

from __future__ import annotations

import math
import tempfile
from collections import defaultdict
from pathlib import Path

from optimizer.instance import Instance
from optimizer.model.solve import Solution
from tests.checking import assert_solution_verified

RANK = {"none": 0, "enablers_only": 1, "full": 2}
CLASS = {"air_patrol": "aircraft", "tanker": "aircraft", "aew": "aircraft", "isr": "aircraft"}
CLASS |= {"naval_escort": "ships", "training": "training"}
TOL = 1e-6


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, R = 6371.0088 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def plan_rows(solution: Solution) -> list[tuple[str, str, str, int]]:
    """The plan as (pool id, base id, station id, stations placed)."""
    if solution.x is None:
        return []
    inst, data = solution.instance, solution.data
    counts = solution.x[solution.formulation.x_slice]
    return [
        (
            inst.pools[data.t_pool[t]].id,
            inst.bases[data.t_base[t]].id,
            inst.stations[data.t_station[t]].id,
            round(float(counts[t])),
        )
        for t in range(len(counts))
        if counts[t] > 0.5
    ]


def check(inst: Instance, rows: list[tuple[str, str, str, int]]) -> dict[str, float]:
    """Assert the plan keeps every rule; return its objective and each sector's coverage."""
    sc = inst.scenario
    pools = {p.id: p for p in inst.pools}
    bases = {b.id: b for b in inst.bases}
    stations = {s.id: s for s in inst.stations}
    nations = {n.id: n for n in inst.nations}
    enablers = {c.id for c in inst.capabilities if c.enabler}
    caps_class = {c.id: c.asset_class for c in inst.capabilities}
    front_pts = [
        pt
        for s in inst.sectors
        if s.kind.value == "front"
        for pt in ((s.lat, s.lon), s.start, s.end)
        if pt is not None
    ]
    units = defaultdict(float)
    at_post = defaultdict(float)
    at_base = defaultdict(float)
    tanker_need = tanker_give = us_units = all_units = risk = cost = 0.0
    tons = defaultdict(float)
    for pid, bid, sid, n in rows:
        p, b, s = pools[pid], bases[bid], stations[sid]
        nat = nations[p.nation]
        where = f"{pid}@{bid}->{sid}"
        assert n >= 1 and p.capability == s.capability, f"capability mismatch {where}"
        assert bid in p.bases, f"base not eligible {where}"
        d = km(b.lat, b.lon, s.lat, s.lon)
        if p.radius_km is not None:
            reach = p.extended_radius_km or p.radius_km
            assert d <= reach + 1e-6, f"C3 out of range {where}: {d:.1f} km"
            tanker_need += n if d > p.radius_km + 1e-6 else 0.0
        need = 0
        if nat.id == sc.us_nation:
            need = 1 if p.capability in enablers else 2
        if nat.requires_us_backstop:
            need = 2
        if p.min_us_level is not None:
            need = RANK[p.min_us_level]
        assert need <= RANK[sc.us_participation], f"C7 US level {where}"
        if not nat.accepts_presence_in_ukraine:
            inside = s.inside_ukraine or b.country.upper() in ("UA", "UKR")
            assert not inside, f"C9 presence in Ukraine {where}"
        front_km = s.front_distance_km
        if front_km is None:
            front_km = min((km(s.lat, s.lon, *pt) for pt in front_pts), default=math.inf)
        assert front_km >= sc.roe_distance_km or nat.accepts_robust_roe, f"C9 ROE {where}"
        ships = caps_class[p.capability] == "ships"
        if ships and s.in_black_sea and not nat.littoral:
            assert sc.straits.value != "closed", f"C10 straits closed {where}"
            tons[nat.id] += n * p.units_per_station * p.ship_tonnage_t
        u = n * p.units_per_station
        units[pid] += u
        at_post[sid] += n
        at_base[(bid, caps_class[p.capability])] += u
        tanker_give += n * p.supports_stations
        us_units += u if nat.id == sc.us_nation else 0.0
        all_units += u
        risk += n * s.escalation_risk
        cost += n * (p.cost_per_station + s.cost)
    for pid, u in units.items():
        assert u <= pools[pid].units + TOL, f"C1 pool {pid}: {u} > {pools[pid].units}"
    for sid, n in at_post.items():
        assert n <= stations[sid].max_stations + TOL, f"C1 post {sid}"
    for (bid, cls), u in at_base.items():
        assert u <= bases[bid].capacity.get(cls, 0.0) + TOL, f"C2 base {bid} {cls}"
    if any(s.supports_stations for s in inst.pools) or tanker_need:
        assert tanker_need <= tanker_give + TOL, "C4 tanker support"
    if sc.us_share_max is not None:
        assert us_units <= sc.us_share_max * all_units + TOL, "C8 US share"
    if sc.escalation_budget is not None:
        assert risk <= sc.escalation_budget + TOL, "C9 escalation budget"
    assert sum(tons.values()) <= sc.montreux.aggregate_t + TOL, "C10 aggregate tonnage"
    assert all(t <= sc.montreux.per_nation_t + TOL for t in tons.values()), "C10 per nation"
    if sc.budget is not None:
        assert cost <= sc.budget + TOL, "C11 budget"
    return coverage_of(inst, rows) | {"cost": cost}


def coverage_of(inst: Instance, rows: list[tuple[str, str, str, int]]) -> dict[str, float]:
    """C5, C6 and the objective of a plan, recomputed from the instance."""
    sc = inst.scenario
    pools = {p.id: p for p in inst.pools}
    stations = {s.id: s for s in inst.stations}
    eff = defaultdict(float)
    for pid, _bid, sid, n in rows:
        s = stations[sid]
        for sector in inst.sectors:
            if s.covers is not None:
                covered = sector.id in s.covers
            else:
                covered = km(s.lat, s.lon, sector.lat, sector.lon) <= s.radius_km
            if covered:
                eff[(sector.id, s.capability)] += n * pools[pid].effectiveness
    out: dict[str, float] = {}
    weighted = 0.0
    for sector in inst.sectors:
        values = []
        for cap, req in sector.requirements.items():
            e = eff[(sector.id, cap)]
            if sc.coverage_mode.value == "threshold":
                values.append(1.0 if e >= req - 1e-9 else 0.0)
            else:
                values.append(min(1.0, e / req))
        z = min(values) if sc.enabled("C6") else sum(values) / len(values)
        out[sector.id] = z
        weighted += sector.weight * sc.kind_weight(sector.kind) * z
    fronts = [out[s.id] for s in inst.sectors if s.kind.value == "front"]
    out["weighted"] = weighted
    out["min_front"] = min(fronts) if fronts else 0.0
    return out


def checked_objective(solution: Solution, verifier: bool = True) -> float:
    """Check ``solution``'s plan independently; return the objective it reaches.

    Two independent checks: this module's, and (``verifier``) the project's checker
    (optimizer.check through tests/checking.py) on the run folder the solution writes.
    """
    if verifier and solution.x is not None:
        with tempfile.TemporaryDirectory(prefix="posture-check-") as folder:
            assert_solution_verified(solution, Path(folder))
    rows = plan_rows(solution)
    values = check(solution.instance, rows)
    kind = solution.instance.scenario.objective.value
    value = {"max-coverage": "weighted", "min-cost": "cost", "max-min": "min_front"}[kind]
    if solution.objective is not None:
        assert math.isclose(values[value], solution.objective, rel_tol=1e-6, abs_tol=1e-6), (
            f"objective {solution.objective} but the plan reaches {values[value]}"
        )
    return values[value]
