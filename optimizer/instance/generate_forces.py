"""Forces of a generated instance: nations, bases and the pools they offer (see generate.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from optimizer.instance.generate_tables import (
    BASES,
    CAPS,
    CLASS_OF,
    CORE_POOLS,
    FIGHTERS,
    NATIONS,
    POOL_SHARE,
)


def nations(rng: np.random.Generator, n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        if i < len(NATIONS):
            nid, flags = NATIONS[i][0], NATIONS[i][1]
        else:
            nid, flags = f"N{i + 1:03d}", "".join(rng.choice(list("lpbr-"), size=2))
        out.append(
            {
                "id": nid,
                "littoral": "l" in flags,
                "accepts_presence_in_ukraine": "p" in flags,
                "requires_us_backstop": "b" in flags,
                "accepts_robust_roe": "r" in flags,
            }
        )
    return out


def bases(rng: np.random.Generator, n: int, scale: float) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        bid, country, lat, lon, classes = BASES[i % len(BASES)]
        if i >= len(BASES):  # a dispersal site near a real base
            bid = f"{bid}-{i // len(BASES) + 1}"
            lat, lon = lat + rng.uniform(-0.4, 0.4), lon + rng.uniform(-0.4, 0.4)
        if i < 3:
            classes = "aircraft ships training"  # a tiny instance still has room for all
        capacity = {}
        for cls in classes.split():
            low, high = {"aircraft": (24, 96), "ships": (4, 16), "training": (4, 20)}[cls]
            capacity[cls] = round(float(rng.integers(low, high + 1)) * scale)
        out.append(
            {
                "id": bid,
                "country": country,
                "lat": _round(lat),
                "lon": _round(lon),
                "capacity": capacity,
            }
        )
    return out


def pools(
    rng: np.random.Generator,
    n: int,
    nation_list: list[dict[str, Any]],
    base_list: list[dict[str, Any]],
    scale: float,
) -> list[dict[str, Any]]:
    ids = [x["id"] for x in nation_list]
    others = [i for i in ids if i != "US"] or ids
    out = []
    for i in range(n):
        nation, cap = CORE_POOLS[i] if i < len(CORE_POOLS) else ("", "")
        if nation not in ids:
            nation = str(others[i % len(others)] if i < len(CORE_POOLS) else rng.choice(others))
        if not cap:
            cap = str(rng.choice(CAPS, p=np.array(POOL_SHARE)))
        cls = CLASS_OF[cap]
        eligible = [b["id"] for b in base_list if cls in b["capacity"]]
        chosen = rng.choice(
            eligible, size=min(len(eligible), int(rng.integers(1, 4))), replace=False
        )
        pool: dict[str, Any] = {
            "id": f"{nation}-{cap}-{i + 1}",
            "nation": nation,
            "capability": cap,
        }
        ups = {"air_patrol": 6, "naval_escort": 3, "training": 1}.get(cap, 2)
        ups = ups + int(rng.integers(0, 3)) if cap == "air_patrol" else ups
        pool["units"] = int(ups * max(1, round(rng.integers(1, 5) * scale)))
        pool["units_per_station"] = ups
        pool["effectiveness"] = round(float(rng.uniform(0.8, 1.2)), 2)
        pool["bases"] = sorted(str(b) for b in chosen)
        if cap == "air_patrol":
            fighter, radius = FIGHTERS[int(rng.integers(0, len(FIGHTERS)))]
            pool["name"] = fighter
            pool["radius_km"] = float(radius)
            pool["extended_radius_km"] = float(round(radius * 1.6))
        elif cap in ("aew", "isr", "tanker"):
            pool["radius_km"] = float(rng.integers(15, 30) * 100)
        if cap == "naval_escort":
            pool["ship_tonnage_t"] = float(rng.integers(35, 71) * 100)
        if cap == "tanker":
            pool["supports_stations"] = float(rng.integers(2, 5))
        cost = {"air_patrol": 0.9, "naval_escort": 0.3, "training": 0.05}.get(cap, 0.5)
        pool["cost_per_station"] = round(float(cost * rng.uniform(0.8, 1.25)), 3)
        out.append(pool)
    return out


def _round(value: float) -> float:
    return round(float(value), 5)
