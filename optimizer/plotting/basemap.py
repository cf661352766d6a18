"""The shipped basemap: country outlines of the theatre, and how it was derived.

``data/basemap.geojson`` is a simplified derivative of Natural Earth 1:50m admin-0 countries
(version 4.1.0, public domain) as kept in the project's reference basemap
(``countries-50m-theatre.geojson``: longitude 8-46 E, latitude 36-60 N, Crimea drawn inside
Ukraine's recognised border). :func:`simplify_basemap` made it: each polygon clipped to a wider
box than any theatre map shows, simplified with a 0.02 degree tolerance (about 2 km; Douglas-
Peucker keeping topology per polygon) and rounded to 3 decimals. ``data/README.md`` names the
source and the command.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

#: Where a country polygon is kept (lon_min, lat_min, lon_max, lat_max); beyond any map drawn.
CLIP_BOX = (-12.0, 34.0, 52.0, 63.0)
TOLERANCE_DEG = 0.02


@lru_cache(maxsize=1)
def load_basemap() -> tuple[tuple[str, tuple[tuple[tuple[float, float], ...], ...]], ...]:
    """Each country's name and outer rings as ((lon, lat), ...); holes are not drawn."""
    text = files("optimizer.plotting").joinpath("data/basemap.geojson").read_text()
    countries = []
    for feature in json.loads(text)["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        rings = tuple(tuple((float(x), float(y)) for x, y in polygon[0]) for polygon in polygons)
        countries.append((str(feature["properties"]["name"]), rings))
    return tuple(countries)


def simplify_basemap(source: Path, target: Path) -> None:
    """Write the shipped derivative of ``source`` (the reference GeoJSON) to ``target``."""
    from shapely.geometry import box, shape

    clip = box(*CLIP_BOX)
    features: list[dict[str, Any]] = []
    for feature in json.loads(source.read_text())["features"]:
        geometry = shape(feature["geometry"]).intersection(clip)
        geometry = geometry.simplify(TOLERANCE_DEG, preserve_topology=True)
        if geometry.is_empty:
            continue
        parts = getattr(geometry, "geoms", [geometry])
        polygons = [
            [[[round(x, 3), round(y, 3)] for x, y in ring.coords] for ring in [p.exterior]]
            for p in parts
            if p.geom_type == "Polygon" and p.area > 1e-4
        ]
        if polygons:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": feature["properties"]["name"]},
                    "geometry": {"type": "MultiPolygon", "coordinates": polygons},
                }
            )
    features.sort(key=lambda f: f["properties"]["name"])
    collection = {"type": "FeatureCollection", "features": features}
    target.write_text(json.dumps(collection, separators=(",", ":")) + "\n")


if __name__ == "__main__":  # python -m optimizer.plotting.basemap SOURCE TARGET
    import sys

    simplify_basemap(Path(sys.argv[1]), Path(sys.argv[2]))
