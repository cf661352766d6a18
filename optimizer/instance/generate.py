"""A seeded generator of posture instances of any size (SPEC 7, B3: the scale family).

The structure follows the reference facts (``../shared/reference/facts.md``): the front is the
ordered polyline through the 21 settlements of §1.1, cut into front sectors with ``start``,
``end`` and ``length_mi`` (the straight polyline, 512 mi, wound by a factor as the real line is
longer); airspace cells form a grid over Ukraine west of the line; the sea sectors are legs of
the Odesa-Bosporus corridor of §3.1 with ``length_nm``; bases are the air bases, airfields and
ports of §2; fighter pools have the combat radii of §5.1 and an extended radius that needs
tankers; the US offers the AEW, tanker and ISR enablers (§5.3); nations carry the political
flags of §6. Everything else (counts, weights, costs) is synthetic and drawn from
``numpy.random.Generator(PCG64(seed))``, so the same seed gives byte-identical files.

Station radii shrink as sectors get denser, so that a station covers about the same number of
sectors at every size: the model grows linearly with the instance, as a scale family must.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from optimizer.instance import generate_forces as forces
from optimizer.instance.generate_tables import CAPS, CORRIDOR, FRONT_POINTS, SOURCES, STATION_SHARE
from optimizer.instance.geometry import KM_PER_MILE, KM_PER_NM, haversine_km, unit_vectors


@dataclass(frozen=True)
class Size:
    """How many of each record to generate."""

    sectors: int
    stations: int
    pools: int
    bases: int
    nations: int

    @classmethod
    def default(cls, sectors: int, **given: int | None) -> Size:
        """Counts that keep the model growing linearly with ``sectors`` (explicit ones win)."""
        n = max(3, int(sectors))
        guess = {
            "stations": max(6, n // 2),
            "pools": int(np.clip(round(4 * n**0.25), 8, 120)),
            "bases": int(np.clip(round(2.5 * n**0.25), 3, 80)),
            "nations": int(np.clip(round(2.5 * n**0.25), 3, 40)),
        }
        guess.update({k: int(v) for k, v in given.items() if v is not None})
        return cls(sectors=n, **guess)


def generate_instance(size: Size, seed: int = 0) -> dict[str, Any]:
    """Raw instance data (plain lists and dicts, in the instance file's vocabulary)."""
    rng = np.random.default_rng(np.random.PCG64(seed))
    scale = float(np.sqrt(max(1.0, size.sectors / 300.0)))  # force grows with the theatre
    n_front = max(1, round(0.40 * size.sectors))
    n_sea = max(1, round(0.15 * size.sectors))
    n_air = max(1, size.sectors - n_front - n_sea)
    sectors = _front(rng, n_front) + _air(rng, n_air) + _sea(rng, n_sea)
    nations = forces.nations(rng, size.nations)
    bases = forces.bases(rng, size.bases, scale)
    stations = _stations(rng, size.stations, sectors)
    pools = forces.pools(rng, size.pools, nations, bases, scale)
    return {
        "name": f"generated-{size.sectors}-s{seed}",
        "description": (
            f"Synthetic posture instance (posture generate, seed {seed}): {size.sectors} sectors,"
            f" {size.stations} stations, {size.pools} pools, {size.bases} bases,"
            f" {size.nations} nations."
        ),
        "scenario": {
            "name": "generated",
            "roe_distance_km": 25.0,
            "kind_weights": {"front": 2.0, "air": 1.0, "sea": 1.5},
        },
        "sources": dict(SOURCES),
        "nations": nations,
        "bases": bases,
        "pools": pools,
        "sectors": sectors,
        "stations": stations,
    }


def _polyline(points: np.ndarray, n: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Cut a lat/lon polyline into n pieces of random length: starts, ends, mids, km each."""
    seg = haversine_km(points[:-1, 0], points[:-1, 1], points[1:, 0], points[1:, 1])
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    share = rng.uniform(0.7, 1.3, n)
    cuts = np.concatenate([[0.0], np.cumsum(share) / share.sum()]) * cum[-1]
    cuts[-1] = cum[-1]

    def at(d: np.ndarray) -> np.ndarray:
        return np.column_stack([np.interp(d, cum, points[:, 0]), np.interp(d, cum, points[:, 1])])

    return at(cuts[:-1]), at(cuts[1:]), at((cuts[:-1] + cuts[1:]) / 2), np.diff(cuts)


def _front(rng: np.random.Generator, n: int) -> list[dict[str, Any]]:
    start, end, mid, km = _polyline(np.array(FRONT_POINTS), n, rng)
    wind = rng.uniform(1.15, 1.45, n)  # the real line winds: ~1,250 km against 823 straight
    pos = np.linspace(0, 1, n)
    hot = 1 + 3 * np.exp(-(((pos - 0.55) / 0.15) ** 2))  # Pokrovsk-Kostiantynivka weighs most
    weight = np.round(hot + rng.uniform(0, 1, n), 2)
    air_req = np.where(rng.random(n) < 0.3, 2, 1)
    isr = rng.random(n) < 0.5
    training = rng.random(n) < 0.3
    out = []
    for i in range(n):
        req: dict[str, float] = {"air_patrol": int(air_req[i])}
        if isr[i]:
            req["isr"] = 1
        if training[i]:
            req["training"] = 1
        out.append(
            {
                "id": f"F{i + 1:06d}",
                "kind": "front",
                "lat": _r(mid[i, 0]),
                "lon": _r(mid[i, 1]),
                "start": [_r(start[i, 0]), _r(start[i, 1])],
                "end": [_r(end[i, 0]), _r(end[i, 1])],
                "length_mi": round(float(km[i] * wind[i] / KM_PER_MILE) + 1e-4, 4),
                "weight": float(weight[i]),
                "order": i + 1,
                "requirements": req,
            }
        )
    return out


def _west_of_front(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Crude Ukrainian-held territory: west of the nearest point of the line of contact, east
    of Poland, Romania and Moldova, north of the coast."""
    line = np.array(FRONT_POINTS)
    _, nearest = cKDTree(unit_vectors(line[:, 0], line[:, 1])).query(unit_vectors(lat, lon))
    held = (lon < line[nearest, 1] - 0.1) & (lat < 52.3) & (lon > 22.3)
    return held & ~((lat < 48.0) & (lon < 28.2)) & ~((lat < 46.2) & (lon > 30.4))


def _air(rng: np.random.Generator, n: int) -> list[dict[str, Any]]:
    lat0, lat1, lon0, lon1 = 45.3, 52.0, 22.3, 38.5
    step = 1.0
    while True:  # refine the grid until it holds n cells on the held side
        lats = np.arange(lat0 + step / 2, lat1, step)
        lons = np.arange(lon0 + step / 1.4, lon1, step * 1.45)
        glat, glon = (a.ravel() for a in np.meshgrid(lats, lons, indexing="ij"))
        keep = _west_of_front(glat, glon)
        if keep.sum() >= n:
            break
        step *= 0.8
    pick = np.sort(rng.choice(np.flatnonzero(keep), size=n, replace=False))
    area = (step * 111.2) * (step * 1.45 * 111.2 * np.cos(np.radians(glat[pick])))
    aew_req = np.where(rng.random(n) < 0.8, 1, 2)
    air_req = np.where(rng.random(n) < 0.2, 2, 1)
    weight = np.round(rng.uniform(0.5, 2.0, n), 2)
    return [
        {
            "id": f"A{i + 1:06d}",
            "kind": "air",
            "lat": _r(glat[k]),
            "lon": _r(glon[k]),
            "area_km2": round(float(area[i]), 1),
            "weight": float(weight[i]),
            "requirements": {"air_patrol": int(air_req[i]), "aew": int(aew_req[i])},
        }
        for i, k in enumerate(pick)
    ]


def _sea(rng: np.random.Generator, n: int) -> list[dict[str, Any]]:
    _, _, mid, km = _polyline(np.array(CORRIDOR), n, rng)
    pos = np.linspace(0, 1, n)
    req = np.where(pos < 0.3, 2, 1)  # the approaches to Odesa are the most threatened
    weight = np.round(1 + 2 * (1 - pos) + rng.uniform(0, 0.5, n), 2)
    return [
        {
            "id": f"L{i + 1:06d}",
            "kind": "sea",
            "lat": _r(mid[i, 0]),
            "lon": _r(mid[i, 1]),
            "length_nm": round(float(km[i] / KM_PER_NM) * 1.02 + 1e-4, 4),
            "weight": float(weight[i]),
            "monthly_transits": 220.0,
            "requirements": {"naval_escort": int(req[i])},
        }
        for i in range(n)
    ]


def _stations(
    rng: np.random.Generator, n: int, sectors: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    kind = np.array([s["kind"] for s in sectors])
    lat = np.array([s["lat"] for s in sectors])
    lon = np.array([s["lon"] for s in sectors])
    counts = np.floor(np.array(STATION_SHARE) * n).astype(int)
    counts[: n - counts.sum()] += 1
    out: list[dict[str, Any]] = []
    front = np.flatnonzero(kind == "front")
    for cap, count in zip(CAPS, counts, strict=True):
        if count == 0:
            continue
        targets = {
            "air_patrol": np.flatnonzero(kind != "sea"),
            "aew": np.flatnonzero(kind == "air"),
            "isr": front,
            "naval_escort": np.flatnonzero(kind == "sea"),
            "training": front,
            "tanker": np.flatnonzero(kind == "air"),
        }[cap]
        if len(targets) == 0:
            targets = np.arange(len(sectors))
        at = rng.choice(targets, size=count)
        spread = 0.6 / np.sqrt(max(1.0, len(targets) / 50))
        s_lat = lat[at] + rng.normal(0, spread / 2, count)
        s_lon = lon[at] + rng.normal(0, spread, count)
        if cap in ("aew", "tanker"):  # half the orbits stay over Poland and Romania
            away = rng.random(count) < 0.5
            s_lat[away] = rng.uniform(45.0, 51.0, away.sum())
            s_lon[away] = np.where(s_lat[away] > 48.0, 22.5, 27.0) + rng.uniform(-1, 0.5)
        s_lat, s_lon = np.clip(s_lat, -89.0, 89.0), np.clip(s_lon, -179.0, 179.0)
        many = rng.integers(5, 15, count) if cap != "aew" else rng.integers(10, 30, count)
        radius = _radius(s_lat, s_lon, lat[targets], lon[targets], many)
        held = _west_of_front(s_lat, s_lon)
        for i in range(count):
            inside = bool(held[i])
            station: dict[str, Any] = {
                "id": f"{cap.upper()[:3]}{len(out) + 1:06d}",
                "capability": cap,
                "lat": _r(s_lat[i]),
                "lon": _r(s_lon[i]),
            }
            if cap == "training":  # a team regenerates the units of a stretch of front
                first = int(rng.integers(0, len(front)))
                station["covers"] = [sectors[k]["id"] for k in front[first : first + many[i]]]
                station["inside_ukraine"] = bool(rng.random() < 0.5)
            elif cap != "tanker":
                station["radius_km"] = round(float(radius[i]), 2)
                station["inside_ukraine"] = inside and cap != "naval_escort"
            station["in_black_sea"] = cap == "naval_escort"
            station["max_stations"] = 2 if cap == "air_patrol" and rng.random() < 0.2 else 1
            station["escalation_risk"] = round(float(rng.uniform(0, 3)), 2) if inside else 0.0
            station["cost"] = round(float(rng.uniform(0, 0.2)), 3)
            out.append(station)
    return out


def _radius(lat, lon, t_lat, t_lon, many: np.ndarray) -> np.ndarray:
    """The distance to the ``many``-th nearest target sector (so it covers about that many)."""
    k = int(min(len(t_lat), many.max()))
    chord, _ = cKDTree(unit_vectors(t_lat, t_lon)).query(unit_vectors(lat, lon), k=k)
    chord = chord.reshape(len(lat), k)[np.arange(len(lat)), np.minimum(many, k) - 1]
    return 2 * 6371.0088 * np.arcsin(np.clip(chord / 2, 0, 1)) * 1.001 + 0.01


def _r(value: float) -> float:
    """Coordinates to 5 decimals (about a metre), as plain floats."""
    return round(float(value), 5)
