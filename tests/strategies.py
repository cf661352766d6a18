"""Generated instances: a hypothesis strategy for small valid ones, and a hard one built in code.

``small_instances()`` draws a few front/air/sea sectors, stations (explicit ``covers`` lists or
geometry), bases, nations (always including the US) and pools with random flags, so that range,
politics, US level, straits, base capacity, budgets and thresholds all come into play.
``hard_instance()`` is a maximal-covering instance in threshold mode, requirement 2, that no
backend proves optimal within a few seconds: it exercises time limits and interruptions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from optimizer.instance import Instance

PROFILE = settings(
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

CAP_BY_KIND = {
    "front": ("air_patrol", "isr", "training"),
    "air": ("air_patrol", "aew"),
    "sea": ("naval_escort",),
}
COUNTRIES = ("PL", "RO", "UA", "BG", "TR")


def _coord(draw: st.DrawFn) -> tuple[float, float]:
    lat = draw(st.integers(450, 510)) / 10
    lon = draw(st.integers(220, 380)) / 10
    return lat, lon


@st.composite
def small_instances(draw: st.DrawFn, objective: str = "max-coverage") -> Instance:
    """A small valid instance (at most 6 sectors, ~15 stations, 3 bases, ~8 pools)."""
    nations = [{"id": "US", "accepts_robust_roe": True}]
    for nid in draw(
        st.lists(st.sampled_from(["UK", "FR", "RO", "DE"]), min_size=1, max_size=3, unique=True)
    ):
        nations.append(
            {
                "id": nid,
                "littoral": nid == "RO" or draw(st.booleans()),
                "accepts_presence_in_ukraine": not draw(st.booleans()),
                "requires_us_backstop": draw(st.booleans()),
                "accepts_robust_roe": draw(st.booleans()),
            }
        )
    bases = []
    for b in range(draw(st.integers(1, 3))):
        lat, lon = _coord(draw)
        capacity = {
            cls: draw(st.sampled_from([30, 12, 6, 0]))
            for cls in ("aircraft", "ships", "training")
            if draw(st.integers(0, 5)) < 5  # a class left out has no room at all
        }
        country = draw(st.sampled_from(COUNTRIES))
        bases.append(
            {"id": f"B{b}", "country": country, "lat": lat, "lon": lon, "capacity": capacity}
        )
    sectors = []
    kinds = ["front"] * draw(st.integers(1, 3)) + ["air"] * draw(st.integers(0, 2))
    kinds += ["sea"] * draw(st.integers(0, 1))
    for k, kind in enumerate(kinds):
        lat, lon = _coord(draw)
        caps = CAP_BY_KIND[kind]
        needed = draw(st.lists(st.sampled_from(caps), min_size=1, max_size=2, unique=True))
        sector: dict[str, Any] = {
            "id": f"K{k}",
            "kind": kind,
            "lat": lat,
            "lon": lon,
            "weight": draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])),
            "requirements": {c: draw(st.sampled_from([1, 2])) for c in needed},
        }
        if kind == "front":
            sector |= {"length_mi": draw(st.integers(20, 80)), "order": k}
        elif kind == "sea":
            sector["length_nm"] = draw(st.integers(20, 80))
        sectors.append(sector)
    used_caps = sorted({c for s in sectors for c in s["requirements"]})
    ids = [s["id"] for s in sectors]
    posts: list[tuple[str, float, float, list[str] | None]] = []
    for sector in sectors:  # most requirements get a post on their sector
        for cap in sector["requirements"]:
            if draw(st.integers(0, 4)) < 4:
                others = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
                covers = sorted({sector["id"], *others}) if draw(st.booleans()) else None
                posts.append((cap, sector["lat"], sector["lon"], covers))
    for _ in range(draw(st.integers(0, 3))):  # and a few posts anywhere
        lat, lon = _coord(draw)
        covers = draw(st.none() | st.lists(st.sampled_from(ids), min_size=1, unique=True))
        posts.append((draw(st.sampled_from(used_caps)), lat, lon, covers))
    stations = []
    for i, (cap, lat, lon, covers) in enumerate(posts):
        station: dict[str, Any] = {
            "id": f"S{i}",
            "capability": cap,
            "lat": lat,
            "lon": lon,
            "inside_ukraine": draw(st.booleans()),
            "in_black_sea": cap == "naval_escort" and draw(st.booleans()),
            "max_stations": draw(st.integers(1, 2)),
            "escalation_risk": draw(st.sampled_from([0.0, 1.0, 2.0])),
        }
        if covers is not None:
            station["covers"] = covers
        else:
            station["radius_km"] = draw(st.sampled_from([50.0, 150.0, 400.0]))
        stations.append(station)
    if not stations:
        stations.append({"id": "S0", "capability": used_caps[0], "lat": 48.0, "lon": 30.0})
    pools = []
    pool_caps = [*used_caps, *draw(st.lists(st.sampled_from([*used_caps, "tanker"]), max_size=3))]
    for p, cap in enumerate(pool_caps):
        pool: dict[str, Any] = {
            "id": f"P{p}",
            "nation": draw(st.sampled_from([n["id"] for n in nations[::-1]])),  # US last
            "capability": cap,
            "units": draw(st.sampled_from([6, 12, 3, 2, 0])),
            "units_per_station": draw(st.sampled_from([1, 2, 3])),
            "effectiveness": draw(st.sampled_from([1.0, 0.5, 1.5])),
            "bases": draw(
                st.lists(st.sampled_from([b["id"] for b in bases]), min_size=1, unique=True)
            ),
            "cost_per_station": draw(st.sampled_from([3, 1, 10, 0])),
        }
        if draw(st.booleans()):
            pool["radius_km"] = draw(st.sampled_from([900.0, 400.0, 1500.0]))
            if draw(st.booleans()):
                pool["extended_radius_km"] = pool["radius_km"] + 800.0
        if cap == "naval_escort":
            pool["ship_tonnage_t"] = draw(st.sampled_from([4000.0, 9000.0, 0.0]))
        if cap == "tanker":
            pool["supports_stations"] = draw(st.sampled_from([1.0, 2.0]))
        pools.append(pool)
    scenario: dict[str, Any] = {
        "objective": objective,
        "us_participation": draw(st.sampled_from(["full", "enablers_only", "none"])),
        "straits": draw(st.sampled_from(["montreux", "closed"])),
        "coverage_mode": draw(st.sampled_from(["partial", "threshold"])),
        "roe_distance_km": draw(st.sampled_from([0.0, 0.0, 200.0])),
    }
    if draw(st.booleans()):
        scenario["budget"] = draw(st.sampled_from([20, 5, 60, 0]))
    if draw(st.booleans()):
        scenario["us_share_max"] = draw(st.sampled_from([0.3, 0.6, 0.0]))
    if draw(st.booleans()):
        scenario["escalation_budget"] = draw(st.sampled_from([2.0, 5.0, 0.0]))
    return Instance.model_validate(
        {
            "name": "generated",
            "nations": nations,
            "bases": bases,
            "sectors": sectors,
            "stations": stations,
            "pools": pools,
            "scenario": scenario,
        }
    )


def hard_instance(
    n_sectors: int = 300, n_stations: int = 300, per: int = 8, units: int = 25, seed: int = 1
) -> Instance:
    """Maximal covering, threshold mode, requirement 2: seconds from proven optimality."""
    rng = np.random.default_rng(seed)
    sectors = [
        {
            "id": f"K{k}",
            "kind": "air",
            "lat": 48.0,
            "lon": 30.0,
            "weight": float(rng.integers(1, 100)),
            "requirements": {"air_patrol": 2},
        }
        for k in range(n_sectors)
    ]
    stations = [
        {
            "id": f"S{s}",
            "capability": "air_patrol",
            "lat": 48.0,
            "lon": 30.0,
            "covers": [f"K{k}" for k in sorted(rng.choice(n_sectors, per, replace=False))],
        }
        for s in range(n_stations)
    ]
    return Instance.model_validate(
        {
            "name": "hard",
            "nations": [{"id": "UK"}],
            "bases": [
                {"id": "B", "country": "PL", "lat": 50, "lon": 22, "capacity": {"aircraft": 9999}}
            ],
            "sectors": sectors,
            "stations": stations,
            "pools": [
                {
                    "id": "P",
                    "nation": "UK",
                    "capability": "air_patrol",
                    "units": units,
                    "bases": ["B"],
                }
            ],
            "scenario": {"coverage_mode": "threshold"},
        }
    )


def write_yaml(instance: Instance, path: Any) -> None:
    """Save an instance as a YAML file that ``posture`` reads back."""
    path.write_text(yaml.safe_dump(instance.model_dump(mode="json", exclude_defaults=True)))


SCALES = (1e-3, 1e-2, 1.0, 1e2, 1e4, 1e6)  # the legal range of ratios and weights, end to end


@st.composite
def stressed_instances(draw: st.DrawFn, objective: str = "max-coverage") -> Instance:
    """A small valid instance whose sector weights, requirements and pool effectiveness are
    each multiplied by a factor drawn from 1e-3..1e6 (clipped to the legal range): coverage
    variables that can reach only 1e-9 of their bound, weights a billion times apart."""
    instance = draw(small_instances(objective))
    data = instance.model_dump(mode="python")

    def factor() -> float:
        return draw(st.sampled_from(SCALES))

    def clip(value: float, low: float) -> float:
        return float(min(1e6, max(low, value)))

    for sector in data["sectors"]:
        sector["weight"] = clip(sector["weight"] * factor(), 0.0)
        sector["requirements"] = {
            cap: clip(req * factor(), 1e-3) for cap, req in sector["requirements"].items()
        }
    for pool in data["pools"]:
        pool["effectiveness"] = clip(pool["effectiveness"] * factor(), 1e-3)
    if draw(st.booleans()):  # the worst case: a heavy sector that stations can barely serve
        heavy = data["sectors"][draw(st.integers(0, len(data["sectors"]) - 1))]
        heavy["weight"] = 1e6
        heavy["requirements"] = {
            cap: clip(req * 1e4, 1e-3) for cap, req in heavy["requirements"].items()
        }
        for pool in data["pools"]:
            pool["effectiveness"] = clip(pool["effectiveness"] * 1e-3, 1e-3)
    return Instance.model_validate(data)
