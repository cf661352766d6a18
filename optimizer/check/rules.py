"""The rules of SPEC 3 re-derived from the instance alone: admissible triples, then C1-C11.

Written from the spec and the formulation's docstring, not from the model code: a plan row is
looked up in the instance, its distance and flags computed here, and every family's sums are
formed over the plan's rows in plain Python (a plan has few rows).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from optimizer.check.operations import (
    Keeping,
    escalation,
    hostile_km,
    keeping,
    may_refuel,
    refuelled_reach,
    unrefuelled_reach,
)
from optimizer.check.report import CheckReport, close, excess
from optimizer.check.runfolder import PlanRow
from optimizer.instance.geometry import haversine_km
from optimizer.instance.schema import Base, Instance, Pool, SectorKind, Station, Straits

US_RANK = {"none": 0, "enablers_only": 1, "full": 2}


@dataclass(frozen=True)
class Placed:
    """A plan row resolved against the instance."""

    row: PlanRow
    pool: Pool
    base: Base
    station: Station
    n: float  # stations placed
    needs_tanker: bool  # tanker-supported: required beyond reach, or taken by choice (F1)
    distance_km: float
    keep: Keeping  # F1: units and cost of one station here

    @property
    def units(self) -> float:
        return self.n * self.keep.units

    @property
    def cost(self) -> float:
        return self.n * (self.keep.pool_cost + self.station.cost)

    @property
    def where(self) -> str:
        return f"line {self.row.line} ({self.pool.id} @ {self.base.id} -> {self.station.id})"


def resolve(instance: Instance, rows: list[PlanRow], report: CheckReport) -> list[Placed]:
    """Rows whose ids exist and whose count is positive; the others are reported."""
    pools = {p.id: p for p in instance.pools}
    bases = {b.id: b for b in instance.bases}
    stations = {s.id: s for s in instance.stations}
    placed = []
    for row in rows:
        where = f"line {row.line}"
        lookups = (("pool", row.pool, pools), ("base", row.base, bases))
        missing = [f"{kind} {key!r}" for kind, key, table in lookups if key not in table]
        if row.station not in stations:
            missing.append(f"station {row.station!r}")
        if missing:
            report.add("triple", where, f"unknown {', '.join(missing)} in this instance")
            continue
        if row.stations != round(row.stations) or row.stations < 0:
            report.add("triple", where, f"stations must be a whole number >= 0: {row.stations:g}")
        if row.stations <= 0:
            continue
        pool, base, station = pools[row.pool], bases[row.base], stations[row.station]
        tanker = _needs_tanker(instance, pool, base, station)
        if row.needs_tanker and not tanker and may_refuel(pool) and instance.scenario.enabled("C3"):
            tanker = True  # F1: refuelled by choice inside the unrefuelled reach
        dist = _distance(base, station)
        keep = keeping(instance, pool, station, dist, tanker)
        placed.append(Placed(row, pool, base, station, row.stations, tanker, dist, keep))
    return placed


def check_triples(instance: Instance, placed: list[Placed], report: CheckReport) -> None:
    """Each row is an admissible triple: capability, base, range (C3), C7, C9, C10, pool size."""
    sc = instance.scenario
    nations = {n.id: n for n in instance.nations}
    front = _front_points(instance)
    for p in placed:
        pool, base, station, nation = p.pool, p.base, p.station, nations[p.pool.nation]
        if pool.capability != station.capability:
            report.add(
                "triple",
                p.where,
                f"pool capability {pool.capability} at a {station.capability} station",
            )
        if base.id not in pool.bases:
            report.add("triple", p.where, f"base {base.id} is not one of the pool's bases")
        if pool.units < p.keep.units - 1e-9 and not sc.enabled("C1"):
            report.add("C1", p.where, "pool smaller than one station", p.keep.units)
        if not p.keep.feasible:
            floor = (
                pool.sortie.min_time_on_station_h
                if pool.sortie
                else 24 * pool.voyage.min_days_on_station  # type: ignore[union-attr]
            )
            report.add(
                "F1",
                p.where,
                f"time on station {p.keep.time_on_station_h:.3g} h below the floor {floor:g} h",
                floor - (p.keep.time_on_station_h or 0.0),
            )
        if sc.enabled("C3"):
            dist = _distance(base, station)
            reach = _reach(pool)
            if dist > reach + 1e-9:
                report.add("C3", p.where, f"{dist:.1f} km, beyond reach {reach:g} km", dist - reach)
        if sc.enabled("C7"):
            needed = _needed_level(instance, pool)
            if needed > US_RANK[sc.us_participation.value]:
                report.add(
                    "C7",
                    p.where,
                    f"pool needs US level rank {needed}, scenario is {sc.us_participation.value}",
                    needed - US_RANK[sc.us_participation.value],
                )
        if sc.enabled("C9"):
            if not nation.accepts_presence_in_ukraine and (
                station.inside_ukraine or base.inside_ukraine
            ):
                report.add("C9", p.where, f"{nation.id} refuses presence inside Ukraine", p.n)
            front_km = _front_distance(station, front)
            if front_km < sc.roe_distance_km and not nation.accepts_robust_roe:
                report.add(
                    "C9",
                    p.where,
                    f"{front_km:.1f} km from the front (< {sc.roe_distance_km:g}) and "
                    f"{nation.id} does not accept robust ROE",
                    sc.roe_distance_km - front_km,
                )
            standoff = sc.standoff_km.get(station.capability)
            if standoff is not None:
                near = min(front_km, hostile_km(instance, station))
                if near < standoff - 1e-9:
                    report.add(
                        "F3",
                        p.where,
                        f"{station.capability} orbit {near:.1f} km from the line or hostile "
                        f"territory, inside the stand-off {standoff:g} km",
                        standoff - near,
                    )
        if sc.enabled("C10") and sc.straits is Straits.CLOSED and _barred(instance, p, nation):
            report.add("C10", p.where, "non-littoral warship in the Black Sea, straits closed", p.n)
        _check_columns(instance, front, p, report)


def check_sums(instance: Instance, placed: list[Placed], report: CheckReport) -> None:
    """The aggregate families: C1, C2, C4, C8, C9 budget, C10 tonnage, C11."""
    sc = instance.scenario
    by_pool: dict[str, float] = defaultdict(float)
    by_post: dict[str, float] = defaultdict(float)
    by_base: dict[tuple[str, str], float] = defaultdict(float)
    for p in placed:
        by_pool[p.pool.id] += p.units
        by_post[p.station.id] += p.n
        by_base[(p.base.id, instance.capability(p.pool.capability).asset_class)] += p.units
    pools = {q.id: q for q in instance.pools}
    posts = {s.id: s for s in instance.stations}
    bases = {b.id: b for b in instance.bases}
    if sc.enabled("C1"):
        for pid, used in by_pool.items():
            _leq(report, "C1", f"pool {pid}", "units used", used, pools[pid].units)
    for sid, count in by_post.items():
        _leq(report, "C1", f"station {sid}", "stations placed", count, posts[sid].max_stations)
    if sc.enabled("C2"):
        for (bid, cls), load in by_base.items():
            cap = bases[bid].capacity.get(cls, 0.0)
            _leq(report, "C2", f"base {bid} {cls}", "units stationed", load, cap)
    if sc.enabled("C4"):
        # counted support; receivers with a receptacle are checked at a place (F2)
        need = sum(p.n for p in placed if p.needs_tanker and p.pool.receptacle is None)
        if need > 0:
            given = sum(p.n * p.pool.supports_stations for p in placed)
            _leq(report, "C4", "tanker support", "refuelled stations", need, given)
    if sc.enabled("C8") and sc.us_share_max is not None:
        total = sum(p.units for p in placed)
        us = sum(p.units for p in placed if p.pool.nation == sc.us_nation)
        _leq(report, "C8", "US share", "US units", us, sc.us_share_max * total)
    if sc.enabled("C9") and sc.escalation_budget is not None:
        front = _front_points(instance)
        risk = sum(
            p.n * escalation(instance, p.station, _front_distance(p.station, front)) for p in placed
        )
        _leq(report, "C9", "escalation budget", "risk", risk, sc.escalation_budget)
    if sc.enabled("C10"):
        _montreux(instance, placed, report)
    if sc.enabled("C11") and sc.budget is not None:
        _leq(report, "C11", "budget", "cost", sum(p.cost for p in placed), sc.budget)


def _montreux(instance: Instance, placed: list[Placed], report: CheckReport) -> None:
    sc = instance.scenario
    nations = {n.id: n for n in instance.nations}
    tons: dict[str, float] = defaultdict(float)
    for p in placed:
        if (
            p.station.in_black_sea
            and not nations[p.pool.nation].littoral
            and p.pool.ship_tonnage_t > 0
        ):
            tons[p.pool.nation] += p.units * p.pool.ship_tonnage_t
    if tons:
        total = sum(tons.values())
        _leq(report, "C10", "Montreux aggregate", "tonnes", total, sc.montreux.aggregate_t)
        for nid, t in tons.items():
            _leq(report, "C10", f"Montreux {nid}", "tonnes", t, sc.montreux.per_nation_t)


def _leq(report: CheckReport, family: str, subject: str, what: str, lhs: float, rhs: float) -> None:
    over = excess(lhs, rhs)
    if over:
        report.add(family, subject, f"{what} {lhs:.6g} > limit {rhs:.6g}", over)


def _check_columns(instance: Instance, front: np.ndarray, p: Placed, report: CheckReport) -> None:
    """plan.csv's redundant columns agree with the instance (a record that does not lie)."""
    row, pool = p.row, p.pool
    wrong = []
    if row.nation is not None and row.nation != pool.nation:
        wrong.append(f"nation {row.nation} (pool's is {pool.nation})")
    if row.capability is not None and row.capability != pool.capability:
        wrong.append(f"capability {row.capability} (pool's is {pool.capability})")
    if row.units is not None and not close(row.units, p.units, 1e-6, 1e-6):
        wrong.append(f"units {row.units:g} (stations x units per station = {p.units:g})")
    if row.cost is not None and not close(row.cost, p.cost, 1e-6, 1e-6):
        wrong.append(f"cost {row.cost:g} (recomputed {p.cost:g})")
    if row.needs_tanker is not None and row.needs_tanker != p.needs_tanker:
        wrong.append(f"needs_tanker {row.needs_tanker} (recomputed {p.needs_tanker})")
    if row.escalation_risk is not None:
        # information only: the budget (C9) is checked on the checker's own risk
        risk = escalation(instance, p.station, _front_distance(p.station, front))
        if not close(row.escalation_risk, risk, 1e-6, 1e-6):
            wrong.append(f"escalation_risk {row.escalation_risk:g} (recomputed {risk:g})")
    if wrong:
        report.add("plan", p.where, "plan.csv says " + "; ".join(wrong))


def _distance(base: Base, station: Station) -> float:
    return float(haversine_km(base.lat, base.lon, station.lat, station.lon))


def _reach(pool: Pool) -> float:
    return max(refuelled_reach(pool), unrefuelled_reach(pool))


def _needs_tanker(instance: Instance, pool: Pool, base: Base, station: Station) -> bool:
    if not instance.scenario.enabled("C3"):
        return False
    return _distance(base, station) > unrefuelled_reach(pool) + 1e-9


def _needed_level(instance: Instance, pool: Pool) -> int:
    """C7: US pools need `full` (`enablers_only` for enablers); backstop nations need `full`."""
    if pool.min_us_level is not None:
        return US_RANK[pool.min_us_level.value]
    needed = 0
    if pool.nation == instance.scenario.us_nation:
        needed = 1 if instance.capability(pool.capability).enabler else 2
    if instance.nation(pool.nation).requires_us_backstop:
        needed = 2
    return needed


def _barred(instance: Instance, p: Placed, nation) -> bool:
    ships = instance.capability(p.pool.capability).asset_class == "ships"
    return ships and not nation.littoral and p.station.in_black_sea


def _front_points(instance: Instance) -> np.ndarray:
    pts = [
        point
        for s in instance.sectors
        if s.kind is SectorKind.FRONT
        for point in ((s.lat, s.lon), s.start, s.end)
        if point is not None
    ]
    return np.array(pts, dtype=float).reshape(-1, 2)


def _front_distance(station: Station, front: np.ndarray) -> float:
    if station.front_distance_km is not None:
        return station.front_distance_km
    if not len(front):
        return float("inf")
    return float(haversine_km(station.lat, station.lon, front[:, 0], front[:, 1]).min())
