"""A solve run folder as the pictures need it, and the map's figures drawn from it.

The instance is read from the folder's ``instance.json`` as plain data (the run's own record
of what was solved), so a picture never re-validates or re-solves anything; fields that only
some instances carry (stand-off distances, sortie parameters) are used when present.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pandas as pd

from optimizer.brief.folders import REQUIRED, Folder, FolderError, _json
from optimizer.plotting.map import (
    MapBase,
    MapData,
    MapHostile,
    MapLink,
    MapRing,
    MapSector,
    MapStation,
)

STANDOFF_KEY = re.compile(r"^stand_?off(_distance)?(_km)?$")


@dataclass(frozen=True)
class SolveRun:
    """The files of one solve run folder."""

    folder: Folder
    instance: dict[str, Any]
    summary: dict[str, Any]
    sectors: pd.DataFrame
    plan: pd.DataFrame
    bases: pd.DataFrame
    pools: pd.DataFrame | None
    nations: pd.DataFrame | None

    @property
    def record(self) -> dict[str, Any]:
        return self.folder.record

    @property
    def scenario(self) -> dict[str, Any]:
        scenario = self.record.get("scenario") or self.instance.get("scenario") or {}
        return scenario if isinstance(scenario, dict) else {}


def read_solve_run(folder: Folder) -> SolveRun:
    if folder.kind != "solve":
        raise FolderError(f"{folder.path}: a {folder.kind} folder, not a solve run folder")
    tables = {name: folder.table(name, cols) for name, cols in REQUIRED.items()}
    for name, frame in tables.items():
        if frame is None:
            raise FolderError(f"{folder.path / name}: missing (an incomplete run folder?)")
    instance_path = folder.path / "instance.json"
    if not instance_path.is_file():
        raise FolderError(f"{instance_path}: missing (an incomplete run folder?)")
    summary_path = folder.path / "summary.json"
    return SolveRun(
        folder=folder,
        instance=_json(instance_path),
        summary=_json(summary_path) if summary_path.is_file() else {},
        sectors=tables["sectors.csv"],
        plan=tables["plan.csv"],
        bases=tables["bases.csv"],
        pools=folder.table("pools.csv"),
        nations=folder.table("nations.csv"),
    )


def map_data(run: SolveRun, reach: bool = False) -> MapData:
    """The map's figures for ``run``; ``reach`` adds each used (pool, base)'s unrefuelled ring."""
    coverage = {str(r.sector): _number(r.coverage) for r in run.sectors.itertuples(index=False)}
    sectors = tuple(
        MapSector(
            id=str(s["id"]),
            kind=str(s.get("kind", "")),
            name=str(s.get("name", "")),
            lon=float(s["lon"]),
            lat=float(s["lat"]),
            coverage=coverage.get(str(s["id"]), 0.0),
            start=_lonlat(s.get("start")),
            end=_lonlat(s.get("end")),
            order=s.get("order"),
        )
        for s in run.instance.get("sectors", [])
        if _has_point(s)
    )
    placed: dict[str, float] = defaultdict(float)
    links: dict[tuple[str, str, str], float] = defaultdict(float)
    capability_of = {str(p["id"]): str(p.get("capability", "")) for p in _pools(run)}
    for row in run.plan.to_dict("records"):
        n = _number(row.get("stations"))
        placed[str(row["station"])] += n
        capability = str(row.get("capability") or capability_of.get(str(row["pool"]), ""))
        links[(str(row["base"]), str(row["station"]), capability)] += n
    load = {str(r["base"]): _number(r.get("load")) for r in run.bases.to_dict("records")}
    capacity_col = "capacity" in run.bases.columns
    capacity = (
        {str(r["base"]): _number(r.get("capacity")) for r in run.bases.to_dict("records")}
        if capacity_col
        else {}
    )
    stations = tuple(
        MapStation(
            id=str(s["id"]),
            capability=str(s.get("capability", "")),
            name=str(s.get("name", "")),
            lon=float(s["lon"]),
            lat=float(s["lat"]),
            placed=placed.get(str(s["id"]), 0.0),
        )
        for s in run.instance.get("stations", [])
        if _has_point(s)
    )
    bases = tuple(
        MapBase(
            id=str(b["id"]),
            name=str(b.get("name", "")),
            country=str(b.get("country", "")),
            lon=float(b["lon"]),
            lat=float(b["lat"]),
            load=load.get(str(b["id"]), 0.0),
            capacity=capacity.get(str(b["id"]), 0.0),
        )
        for b in run.instance.get("bases", [])
        if _has_point(b)
    )
    return MapData(
        title=title(run),
        subtitle=subtitle(run),
        sectors=sectors,
        stations=stations,
        bases=bases,
        links=tuple(
            MapLink(base=b, station=s, capability=c, stations=n)
            for (b, s, c), n in sorted(links.items())
            if n > 0
        ),
        rings=_reach_rings(run) if reach else (),
        roe_distance_km=_number(run.scenario.get("roe_distance_km")),
        standoff_km=standoff_distances(run.instance),
        hostile=_hostile(run.instance),
    )


def _hostile(instance: dict[str, Any]) -> tuple[MapHostile, ...]:
    """The instance's hostile borders, coasts and points (F3), as (lon, lat)."""
    found = []
    for h in instance.get("hostile") or []:
        if not isinstance(h, dict):
            continue
        points = tuple(p for p in (_lonlat(q) for q in h.get("points") or []) if p is not None)
        if points:
            found.append(
                MapHostile(
                    id=str(h.get("id", "")),
                    points=points,
                    line=bool(h.get("line", True)),
                    name=str(h.get("name", "")),
                )
            )
    return tuple(found)


def title(run: SolveRun) -> str:
    s = run.scenario
    name = s.get("name") or run.instance.get("name") or run.folder.path.name
    parts = [
        f"US {s['us_participation']}" if s.get("us_participation") else "",
        f"straits {s['straits']}" if s.get("straits") else "",
    ]
    return f"{name}: " + ", ".join(p for p in parts if p) if any(parts) else str(name)


def subtitle(run: SolveRun) -> str:
    m, r = run.summary, run.record
    parts = []
    status = r.get("status")
    if status:
        gap = r.get("gap")
        parts.append(f"{status}" + (f" (gap {gap:.2g})" if isinstance(gap, float) else ""))
    if r.get("objective_kind"):
        parts.append(f"{r['objective_kind']}, {r.get('coverage_mode', '')} coverage".rstrip(", "))
    if m.get("front_miles_total"):
        parts.append(
            f"front {m.get('front_miles_covered', 0):.0f} of {m['front_miles_total']:.0f} mi "
            f"({m.get('front_pct', 0):.1f} %)"
        )
    if m.get("air_coverage") is not None:
        parts.append(f"airspace {100 * m['air_coverage']:.1f} %")
    if m.get("sea_nm_total"):
        parts.append(
            f"sea {m.get('sea_nm_escorted', 0):.0f} of {m['sea_nm_total']:.0f} nm escorted"
        )
    if m.get("stations_placed") is not None:
        parts.append(f"{m['stations_placed']:g} posts")
    return " · ".join(parts)


def standoff_distances(instance: dict[str, Any]) -> dict[str, float]:
    """Stand-off distances from the contact line the instance states, by what keeps them.

    Looked for in the scenario (a number, or a mapping by capability), in capabilities and in
    pools (``standoff_km`` or ``stand_off_km``); equal distances are merged into one label.
    """
    found: dict[str, float] = {}
    scenario = instance.get("scenario") or {}
    for key, value in scenario.items() if isinstance(scenario, dict) else []:
        if STANDOFF_KEY.match(key):
            if isinstance(value, dict):
                found.update({str(k): _number(v) for k, v in value.items()})
            else:
                found["high-value aircraft"] = _number(value)
    for group in ("capabilities", "pools"):
        for item in instance.get(group) or []:
            for key, value in item.items():
                if STANDOFF_KEY.match(key) and value is not None:
                    found[str(item.get("id"))] = _number(value)
    by_km: dict[float, list[str]] = defaultdict(list)
    for label, km in found.items():
        if km > 0:
            by_km[km].append(label)
    return {", ".join(sorted(labels)): km for km, labels in sorted(by_km.items())}


def _reach_rings(run: SolveRun) -> tuple[MapRing, ...]:
    bases = {str(b["id"]): b for b in run.instance.get("bases", [])}
    pools = {str(p["id"]): p for p in _pools(run)}
    rings: dict[tuple[str, float], MapRing] = {}
    for row in run.plan.to_dict("records"):
        pool, base = pools.get(str(row["pool"])), bases.get(str(row["base"]))
        radius = _number((pool or {}).get("radius_km"))
        if base is None or radius <= 0:
            continue
        key = (str(row["base"]), radius)
        rings[key] = MapRing(
            lon=float(base["lon"]),
            lat=float(base["lat"]),
            radius_km=radius,
            label=f"{row['pool']} from {row['base']}",
        )
    return tuple(rings[k] for k in sorted(rings))


def _pools(run: SolveRun) -> list[dict[str, Any]]:
    return [p for p in run.instance.get("pools", []) if isinstance(p, dict)]


def _lonlat(point: Any) -> tuple[float, float] | None:
    """An instance's [lat, lon] pair as (lon, lat)."""
    if not isinstance(point, list | tuple) or len(point) != 2:
        return None
    return float(point[1]), float(point[0])


def _has_point(item: Any) -> bool:
    return isinstance(item, dict) and item.get("lat") is not None and item.get("lon") is not None


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0
