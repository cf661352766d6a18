r"""F1 time on station: the units and the cost one 24/7 station takes, per admissible triple.

Aircraft (a pool with ``sortie``), for a base-station distance d (km)::

    E      = refuelled_endurance_h if the triple is tanker-supported, else endurance_h
    transit = d / cruise_kmh                                  hours, each way
    TOS    = E - 2 transit                                    time on station per sortie (h)
    sorties a day  = aircraft_per_orbit x 24 / TOS
    flying hours a day  FH = sorties a day x E
    units  = FH / (flying_hours_per_day x availability)       aircraft the station consumes
    cost   = cost_per_station + FH x cost_per_flying_hour x scenario.cost_period_days
    fuel   = sorties a day x aar_fuel_t                       t/day taken from tankers (F2)

The CAP sizing rule of ../shared/reference/facts.md §8 A (Aircraft = 24·N·FT/TOS / (H·A)),
with the sortie-rate model's transit = distance / cruise speed. A triple whose TOS is below
``min_time_on_station_h`` is not admissible.

Ships (a pool with ``voyage``), distance d in nautical miles at ``speed_kn``::

    stay    = stay_days, at most montreux.max_stay_days for a non-littoral warship at a Black
              Sea station (straits `montreux`), the transit then counted from montreux.entry
    on station = stay - 2 d / (24 speed_kn)                   days per deployment
    units   = (stay + port_days) / on station / availability
    cost    = cost_per_station + stay / on station x cost_per_day x scenario.cost_period_days

A pool without ``sortie`` or ``voyage`` keeps its fixed ``units_per_station`` and
``cost_per_station`` (the model before F1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optimizer.instance.geometry import KM_PER_NM, haversine_km
from optimizer.instance.schema import Instance, Straits

HOURS_PER_DAY = 24.0


@dataclass(frozen=True)
class Sustainment:
    """Per triple: units and cost of one station, time on station, fuel it takes (F2)."""

    units: np.ndarray
    cost: np.ndarray  # the pool's cost of one station here (the post's cost is added apart)
    time_on_station_h: np.ndarray  # per sortie (aircraft) or deployment (ships); nan if fixed
    fuel_t_per_day: np.ndarray  # tonnes a day from tankers (refuelled aircraft triples)
    admissible: np.ndarray  # time on station at least the floor


def reach_km(instance: Instance) -> tuple[np.ndarray, np.ndarray]:
    """Per pool, unrefuelled and refuelled reach (km): given radii, else from the sortie or the
    voyage (the distance at which the time on station falls to its floor); inf if unlimited."""
    radius, extended = [], []
    for p in instance.pools:
        r = p.radius_km
        e = p.extended_radius_km
        if p.sortie is not None:
            s = p.sortie
            if r is None:
                r = s.cruise_kmh * (s.endurance_h - s.min_time_on_station_h) / 2
            if e is None and s.refuelled_endurance_h is not None and p.radius_km is None:
                e = s.cruise_kmh * (s.refuelled_endurance_h - s.min_time_on_station_h) / 2
        elif p.voyage is not None and r is None:
            v = p.voyage
            r = v.speed_kn * KM_PER_NM * HOURS_PER_DAY * (v.stay_days - v.min_days_on_station) / 2
        radius.append(np.inf if r is None else r)
        extended.append(np.nan if e is None else e)
    rad = np.array(radius, dtype=float)
    ext = np.array(extended, dtype=float)
    return rad, np.where(np.isnan(ext), rad, np.maximum(ext, rad))


def sustain(
    instance: Instance,
    t_pool: np.ndarray,
    t_station: np.ndarray,
    dist_km: np.ndarray,
    refuelled: np.ndarray,
) -> Sustainment:
    pools, stations, sc = instance.pools, instance.stations, instance.scenario
    n = len(t_pool)
    units = np.array([p.units_per_station for p in pools], dtype=float)[t_pool]
    cost = np.array([p.cost_per_station for p in pools], dtype=float)[t_pool]
    tos = np.full(n, np.nan)
    fuel = np.zeros(n)
    ok = np.ones(n, dtype=bool)

    air = np.array([p.sortie is not None for p in pools])[t_pool]
    if air.any():
        idx = np.flatnonzero(air)
        sp = [pools[i].sortie for i in range(len(pools))]

        def field(name: str, default: float = np.nan) -> np.ndarray:
            values = [default if s is None else getattr(s, name) for s in sp]
            return np.array([default if v is None else v for v in values], dtype=float)

        p = t_pool[idx]
        e = field("endurance_h")[p]
        e_ref = field("refuelled_endurance_h")[p]
        e = np.where(refuelled[idx] & ~np.isnan(e_ref), e_ref, e)
        on_station = e - 2.0 * dist_km[idx] / field("cruise_kmh")[p]
        floor = field("min_time_on_station_h")[p]
        good = on_station >= floor - 1e-9
        safe = np.where(good, on_station, 1.0)
        sorties = field("aircraft_per_orbit")[p] * HOURS_PER_DAY / safe
        hours = sorties * e
        units[idx] = hours / (field("flying_hours_per_day")[p] * field("availability")[p])
        cost[idx] += hours * field("cost_per_flying_hour", 0.0)[p] * sc.cost_period_days
        fuel[idx] = np.where(refuelled[idx], sorties * field("aar_fuel_t", 0.0)[p], 0.0)
        tos[idx] = on_station
        ok[idx] = good

    sea = np.array([p.voyage is not None for p in pools])[t_pool]
    if sea.any():
        idx = np.flatnonzero(sea)
        vp = [pools[i].voyage for i in range(len(pools))]

        def vfield(name: str) -> np.ndarray:
            return np.array([np.nan if v is None else getattr(v, name) for v in vp], dtype=float)

        p, s = t_pool[idx], t_station[idx]
        littoral = {nat.id: nat.littoral for nat in instance.nations}
        p_littoral = np.array([littoral[q.nation] for q in pools])
        black_sea = np.array([st.in_black_sea for st in stations])
        limited = ~p_littoral[p] & black_sea[s] & (sc.straits is Straits.MONTREUX)
        limited &= sc.enabled("C10")
        s_lat = np.array([st.lat for st in stations])[s]
        s_lon = np.array([st.lon for st in stations])[s]
        from_entry = haversine_km(*sc.montreux.entry, s_lat, s_lon)
        d_km = np.where(limited, from_entry, dist_km[idx])
        stay = vfield("stay_days")[p]
        stay = np.where(limited, np.minimum(stay, sc.montreux.max_stay_days), stay)
        transit_days = d_km / KM_PER_NM / vfield("speed_kn")[p] / HOURS_PER_DAY
        on_station = stay - 2.0 * transit_days
        good = on_station >= vfield("min_days_on_station")[p] - 1e-9
        safe = np.where(good, on_station, 1.0)
        cycle = stay + vfield("port_days")[p]
        units[idx] = cycle / safe / vfield("availability")[p]
        cost[idx] += stay / safe * vfield("cost_per_day")[p] * sc.cost_period_days
        tos[idx] = on_station * HOURS_PER_DAY
        ok[idx] = good
    return Sustainment(
        units=units, cost=cost, time_on_station_h=tos, fuel_t_per_day=fuel, admissible=ok
    )
