"""Coverage and objective of a plan, recomputed from the instance (C5, C6, targets, O1-O3).

A station covers the sectors it lists in ``covers``, else those within its radius by
great-circle distance. For each sector and required capability, the effective stations present
are the sum over placed rows at covering stations of that capability of effectiveness x count;
coverage is ``min(1, effective / requirement)`` (partial) or ``1 if effective >= requirement``
(threshold). A sector's coverage is the least of its capabilities' (C6), or their mean with C6
switched off.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from optimizer.check.report import CheckReport
from optimizer.check.rules import Placed
from optimizer.instance.geometry import haversine_km
from optimizer.instance.schema import CoverageMode, Instance, Objective, SectorKind


def sector_coverage(instance: Instance, placed: list[Placed]) -> np.ndarray:
    """Coverage (0..1) of every sector, in the instance's order."""
    sectors = instance.sectors
    index = {s.id: k for k, s in enumerate(sectors)}
    lat = np.array([s.lat for s in sectors], dtype=float)
    lon = np.array([s.lon for s in sectors], dtype=float)
    strength: dict[str, float] = defaultdict(float)  # station -> effective stations there
    output: dict[str, float] = defaultdict(float)  # station -> trainees a month (F5)
    stations = {}
    for p in placed:
        strength[p.station.id] += p.pool.effectiveness * p.n
        output[p.station.id] += p.pool.effectiveness * p.n * (p.pool.trainees_per_month or 0.0)
        stations[p.station.id] = p.station
    need = {k: _need(instance, s) for k, s in enumerate(sectors)}
    effective: dict[tuple[int, str], float] = defaultdict(float)
    for sid, amount in strength.items():
        station = stations[sid]
        if station.covers is not None:
            covered = sorted({index[x] for x in station.covers})
        else:
            dist = haversine_km(station.lat, station.lon, lat, lon)
            covered = np.flatnonzero(dist <= station.radius_km + 1e-9).tolist()
        # F5: a training station's trainees go in equal shares to the needy sectors it covers
        needy = [k for k in covered if station.capability == "training" and need[k] is not None]
        for k in covered:
            if k in needy:
                effective[(k, station.capability)] += output[sid] / len(needy)
            else:
                effective[(k, station.capability)] += amount
    threshold = instance.scenario.coverage_mode is CoverageMode.THRESHOLD
    joint = instance.scenario.enabled("C6")
    out = np.zeros(len(sectors))
    for k, sector in enumerate(sectors):
        values = []
        for cap, req in sector.requirements.items():
            trainees = need[k]
            if cap == "training" and trainees is not None:
                req = trainees  # trainees a month (F5)
            have = effective.get((k, cap), 0.0)
            values.append(float(have >= req - 1e-9) if threshold else min(1.0, have / req))
        out[k] = min(values) if joint else sum(values) / len(values)
    return out


def _need(instance: Instance, sector) -> float | None:
    """F5: trainees a month the sector needs (brigades a year x brigade strength / 12)."""
    if sector.trainees_per_month is not None:
        return float(sector.trainees_per_month)
    if sector.brigades_per_year is not None:
        return sector.brigades_per_year * instance.scenario.brigade_strength / 12.0
    return None


def objective(instance: Instance, placed: list[Placed], z: np.ndarray) -> float:
    """The scenario's primary objective (O1 weighted coverage, O2 cost, O3 worst front)."""
    sc = instance.scenario
    if sc.objective is Objective.MIN_COST:
        return float(sum(p.cost for p in placed))
    if sc.objective is Objective.MIN_UNITS:
        return float(sum(p.units for p in placed))
    if sc.objective is Objective.MAX_MIN:
        front = [k for k, s in enumerate(instance.sectors) if s.kind is SectorKind.FRONT]
        return float(z[front].min()) if front else 0.0
    weights = np.array([s.weight * sc.kind_weight(s.kind) for s in instance.sectors])
    return float(weights @ z)


def check_targets(instance: Instance, z: np.ndarray, report: CheckReport) -> None:
    """O2: every sector reaches its coverage target (its own, else its kind's); A5: totals."""
    sc = instance.scenario
    check_aggregate_targets(instance, z, report)
    if not sc.objective.minimises:
        return
    for k, sector in enumerate(instance.sectors):
        target = sector.target if sector.target is not None else sc.targets.get(sector.kind, 0.0)
        if z[k] < target - 1e-9:
            report.add(
                "O2",
                f"sector {sector.id}",
                f"coverage {z[k]:.6g} below target {target:g}",
                target - z[k],
            )


def check_aggregate_targets(instance: Instance, z: np.ndarray, report: CheckReport) -> None:
    """A5: front miles covered, air and sea points reach their shares of the possible."""
    sc = instance.scenario
    for name, share in sc.aggregate_targets.items():
        kind = SectorKind.FRONT if name == "front_miles" else SectorKind(name)
        ks = [k for k, s in enumerate(instance.sectors) if s.kind is kind]
        if name == "front_miles":
            size = np.array([instance.sectors[k].length_mi or 0.0 for k in ks])
        else:
            size = np.array([instance.sectors[k].weight * sc.kind_weight(kind) for k in ks])
        got, possible = float(size @ z[ks]), float(size.sum())
        if got < share * possible - 1e-6 * max(1.0, possible):
            report.add(
                "A5",
                f"aggregate target {name}",
                f"{got:.6g} of {possible:.6g} ({got / possible:.4g}) below the share {share:g}",
                share * possible - got,
            )
