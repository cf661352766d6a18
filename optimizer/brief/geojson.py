"""V4: the plan as GeoJSON (RFC 7946) for QGIS and other GIS tools.

One FeatureCollection, WGS84 longitude-latitude order. Every feature has a ``feature`` property
saying what it is: ``sector`` (front sectors and sea legs as LineStrings from start to end,
airspace sectors as Points at their centre, with coverage and the per-capability figures of
sectors.csv), ``station`` (Points, with the posts placed), ``base`` (Points, with load and
capacity) and ``link`` (a LineString from base to station per row of plan.csv, with its
figures: pool, nation, posts, units and whatever else plan.csv carries).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import pandas as pd

from optimizer.brief.solverun import SolveRun


def plan_geojson(run: SolveRun) -> dict[str, Any]:
    """The FeatureCollection of ``run``'s sectors, stations, bases and base-to-station links."""
    sector_rows = _rows_by(run.sectors, "sector")
    placed: dict[str, float] = defaultdict(float)
    for row in run.plan.to_dict("records"):
        placed[str(row["station"])] += _float(row.get("stations")) or 0.0
    features: list[dict[str, Any]] = []
    for s in run.instance.get("sectors", []):
        props = {
            "feature": "sector",
            **_fields(
                s,
                (
                    "id",
                    "kind",
                    "name",
                    "order",
                    "weight",
                    "length_mi",
                    "length_nm",
                    "area_km2",
                    "monthly_transits",
                ),
            ),
        }
        props.update(
            {
                k: v
                for k, v in sector_rows.get(str(s["id"]), {}).items()
                if k not in ("sector", "kind", "name", "order", "weight")
            }
        )
        start, end = s.get("start"), s.get("end")
        if _pair(start) and _pair(end):
            geometry = _line([start, end])
        else:
            geometry = _point(s["lat"], s["lon"])
        features.append(_feature(geometry, props))
    for st in run.instance.get("stations", []):
        props = {
            "feature": "station",
            **_fields(
                st,
                (
                    "id",
                    "capability",
                    "name",
                    "radius_km",
                    "inside_ukraine",
                    "in_black_sea",
                    "front_distance_km",
                    "max_stations",
                ),
            ),
        }
        props["posts"] = placed.get(str(st["id"]), 0.0)
        features.append(_feature(_point(st["lat"], st["lon"]), props))
    bases = {str(b["id"]): b for b in run.instance.get("bases", [])}
    stations = {str(s["id"]): s for s in run.instance.get("stations", [])}
    for b in run.instance.get("bases", []):
        props = {"feature": "base", **_fields(b, ("id", "name", "country"))}
        rows = [r for r in run.bases.to_dict("records") if str(r["base"]) == str(b["id"])]
        props["load"] = sum(_float(r.get("load")) or 0.0 for r in rows)
        props["capacity"] = {str(k): v for k, v in (b.get("capacity") or {}).items()}
        props["asset_classes"] = [str(r.get("asset_class")) for r in rows if r.get("asset_class")]
        features.append(_feature(_point(b["lat"], b["lon"]), props))
    for row in run.plan.to_dict("records"):
        base, station = bases.get(str(row["base"])), stations.get(str(row["station"]))
        if base is None or station is None:
            continue
        props = {"feature": "link", **{str(k): _clean(v) for k, v in row.items()}}
        geometry = _line([[base["lat"], base["lon"]], [station["lat"], station["lon"]]])
        features.append(_feature(geometry, props))
    return {
        "type": "FeatureCollection",
        "name": f"posture plan: {run.instance.get('name', run.folder.path.name)}",
        "features": features,
    }


def _feature(geometry: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _point(lat: Any, lon: Any) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [float(lon), float(lat)]}


def _line(latlon: list[Any]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [[float(p[1]), float(p[0])] for p in latlon]}


def _pair(value: Any) -> bool:
    return isinstance(value, list | tuple) and len(value) == 2


def _fields(item: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {n: _clean(item[n]) for n in names if item.get(n) is not None}


def _rows_by(frame: pd.DataFrame, key: str) -> dict[str, dict[str, Any]]:
    return {
        str(r[key]): {str(k): _clean(v) for k, v in r.items()} for r in frame.to_dict("records")
    }


def _float(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _clean(value: Any) -> Any:
    """JSON-safe scalars: NaN and infinities become null, numpy scalars plain numbers."""
    if value is None or isinstance(value, bool | str):
        return value
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, int | float | bool | str):
        return value
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return str(value)
