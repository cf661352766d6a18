"""F1 and F3 re-derived for one plan row, in plain Python from SPEC 8 and the instance format.

F1: a pool with a ``sortie`` keeps a 24/7 orbit with ``aircraft_per_orbit`` aircraft; each
sortie of length E (refuelled or not) spends 2 d / cruise in transit, so the orbit needs
aircraft_per_orbit x 24 / (E - 2 d / cruise) sorties a day, E flying hours each, from aircraft
that fly ``flying_hours_per_day`` hours at ``availability``. A ship pool with a ``voyage``
stays ``stay_days`` (for a non-littoral warship in the Black Sea under Montreux at most the
Montreux stay, counted from the Bosporus entry) of which the transit both ways is lost, then
spends ``port_days`` away. F3: a station's distance to hostile territory is to the nearest
point of the instance's ``hostile`` records (lines sampled as the format says).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from optimizer.instance.geometry import KM_PER_NM, haversine_km, hostile_points
from optimizer.instance.schema import Instance, Pool, Station


@dataclass(frozen=True)
class Keeping:
    """What one station of a row costs to keep (F1)."""

    units: float
    pool_cost: float
    time_on_station_h: float | None  # None for a fixed units_per_station
    fuel_t_per_day: float
    feasible: bool  # time on station at least the floor


def keeping(
    instance: Instance, pool: Pool, station: Station, distance_km: float, refuelled: bool
) -> Keeping:
    sc = instance.scenario
    if pool.sortie is not None:
        s = pool.sortie
        length = s.refuelled_endurance_h if refuelled and s.refuelled_endurance_h else s.endurance_h
        on_station = length - 2.0 * distance_km / s.cruise_kmh
        ok = on_station >= s.min_time_on_station_h - 1e-9
        per_day = s.aircraft_per_orbit * 24.0 / on_station if ok else 0.0
        hours = per_day * length
        return Keeping(
            units=hours / (s.flying_hours_per_day * s.availability) if ok else math.inf,
            pool_cost=pool.cost_per_station + hours * s.cost_per_flying_hour * sc.cost_period_days,
            time_on_station_h=on_station,
            fuel_t_per_day=per_day * s.aar_fuel_t if refuelled else 0.0,
            feasible=ok,
        )
    if pool.voyage is not None:
        v = pool.voyage
        montreux = (
            station.in_black_sea
            and not instance.nation(pool.nation).littoral
            and sc.straits.value == "montreux"
            and sc.enabled("C10")
        )
        stay, km = v.stay_days, distance_km
        if montreux:
            stay = min(stay, sc.montreux.max_stay_days)
            km = float(haversine_km(*sc.montreux.entry, station.lat, station.lon))
        days = stay - 2.0 * km / KM_PER_NM / v.speed_kn / 24.0
        ok = days >= v.min_days_on_station - 1e-9
        return Keeping(
            units=(stay + v.port_days) / days / v.availability if ok else math.inf,
            pool_cost=pool.cost_per_station
            + (stay / days * v.cost_per_day * sc.cost_period_days if ok else 0.0),
            time_on_station_h=days * 24.0,
            fuel_t_per_day=0.0,
            feasible=ok,
        )
    return Keeping(pool.units_per_station, pool.cost_per_station, None, 0.0, True)


def unrefuelled_reach(pool: Pool) -> float:
    """The pool's radius: given, else where the time on station falls to its floor."""
    if pool.radius_km is not None:
        return pool.radius_km
    if pool.sortie is not None:
        s = pool.sortie
        return s.cruise_kmh * (s.endurance_h - s.min_time_on_station_h) / 2.0
    if pool.voyage is not None:
        v = pool.voyage
        return v.speed_kn * KM_PER_NM * 24.0 * (v.stay_days - v.min_days_on_station) / 2.0
    return math.inf


def refuelled_reach(pool: Pool) -> float:
    if pool.extended_radius_km is not None:
        return pool.extended_radius_km
    s = pool.sortie
    if pool.radius_km is None and s is not None and s.refuelled_endurance_h is not None:
        return s.cruise_kmh * (s.refuelled_endurance_h - s.min_time_on_station_h) / 2.0
    return unrefuelled_reach(pool)


def may_refuel(pool: Pool) -> bool:
    """A pool whose sorties are longer with tanker support may take it anywhere in reach."""
    return pool.sortie is not None and pool.sortie.refuelled_endurance_h is not None


def hostile_km(instance: Instance, station: Station) -> float:
    lat, lon = hostile_points(instance.hostile)
    if len(lat) == 0:
        return math.inf
    return float(np.min(haversine_km(station.lat, station.lon, lat, lon)))


def escalation(instance: Instance, station: Station, front_km: float) -> float:
    """F3: the station's own risk plus 1 - d / range (not below 0) for its capability."""
    rng = instance.scenario.escalation_range_km.get(station.capability)
    if rng is None:
        return station.escalation_risk
    return station.escalation_risk + min(1.0, max(0.0, 1.0 - front_km / rng))
