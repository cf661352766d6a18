"""Tiny instances built in code, for hand-checked optima.

Geometry in these cases: sectors sit on the 48th parallel a degree of longitude apart (74 km),
every station sits on its sector with a 10 km radius, so a station covers exactly one sector
unless it lists ``covers`` explicitly. The base is in Rzeszów (50.11 N, 22.02 E).
"""

from __future__ import annotations

from typing import Any

from optimizer.instance import Instance

BASE = {
    "id": "EPRZ",
    "country": "PL",
    "lat": 50.110,
    "lon": 22.019,
    "capacity": {"aircraft": 1000, "ships": 1000, "training": 1000},
}


def front(i: int, weight: float = 1.0, **req: float) -> dict[str, Any]:
    """Front sector ``F{i}`` at 48 N, (30 + i) E, 40 miles long."""
    return {
        "id": f"F{i}",
        "kind": "front",
        "lat": 48.0,
        "lon": 30.0 + i,
        "length_mi": 40.0,
        "order": i,
        "weight": weight,
        "requirements": req or {"air_patrol": 1},
    }


def air(i: int, weight: float = 1.0, **req: float) -> dict[str, Any]:
    return {
        "id": f"A{i}",
        "kind": "air",
        "lat": 48.0,
        "lon": 30.0 + i,
        "weight": weight,
        "requirements": req or {"air_patrol": 1},
    }


def sea(i: int, weight: float = 1.0) -> dict[str, Any]:
    return {
        "id": f"L{i}",
        "kind": "sea",
        "lat": 43.0,
        "lon": 29.0 + 0.5 * i,
        "length_nm": 50.0,
        "weight": weight,
        "requirements": {"naval_escort": 1},
    }


def station(sid: str, capability: str, lat: float, lon: float, **extra: Any) -> dict[str, Any]:
    return {"id": sid, "capability": capability, "lat": lat, "lon": lon, "radius_km": 10.0, **extra}


def on(
    sector: dict[str, Any], capability: str = "air_patrol", suffix: str = "", **extra: Any
) -> dict[str, Any]:
    """A station sitting on ``sector`` (covers it and nothing else)."""
    return station(f"S{sector['id']}{suffix}", capability, sector["lat"], sector["lon"], **extra)


def pool(
    pid: str,
    nation: str = "UK",
    capability: str = "air_patrol",
    units: int = 6,
    ups: float = 6,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": pid,
        "nation": nation,
        "capability": capability,
        "units": units,
        "units_per_station": ups,
        "bases": extra.pop("bases", ["EPRZ"]),
        **extra,
    }


NATIONS = [
    {"id": "UK", "accepts_robust_roe": True},
    {"id": "FR"},
    {"id": "DE", "accepts_presence_in_ukraine": False},
    {"id": "RO", "littoral": True},
    {"id": "US"},
]


def make(
    sectors: list[dict[str, Any]],
    stations: list[dict[str, Any]],
    pools: list[dict[str, Any]],
    scenario: dict[str, Any] | None = None,
    bases: list[dict[str, Any]] | None = None,
    nations: list[dict[str, Any]] | None = None,
    name: str = "case",
) -> Instance:
    return Instance.model_validate(
        {
            "name": name,
            "nations": nations or NATIONS,
            "bases": bases or [BASE],
            "sectors": sectors,
            "stations": stations,
            "pools": pools,
            "scenario": scenario or {},
        }
    )


def switched_off(instance: Instance, family: str) -> Instance:
    constraints = dict(instance.scenario.constraints)
    constraints[family] = False
    return instance.with_scenario(constraints=constraints)
