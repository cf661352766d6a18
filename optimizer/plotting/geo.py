"""Map geometry: the projection every map uses and great-circle rings.

The projection is equirectangular with the east-west scale set at the map's central latitude
(x = R·Δλ·cos φ0, y = R·φ, in km). Over the theatre (41-55 N) it keeps distances within a few
per cent near the centre, north stays up, and it needs no projection library. Rings (reach,
stand-off) are computed on the sphere and then projected, so a 600 km ring is 600 km along
every bearing whatever the projection does to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from optimizer.instance.geometry import EARTH_RADIUS_KM


@dataclass(frozen=True)
class Projection:
    """Equirectangular projection in km around (lon0, lat0)."""

    lon0: float
    lat0: float

    def xy(self, lon: ArrayLike, lat: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        lon_a = np.asarray(lon, dtype=float)
        lat_a = np.asarray(lat, dtype=float)
        x = EARTH_RADIUS_KM * np.radians(lon_a - self.lon0) * np.cos(np.radians(self.lat0))
        y = EARTH_RADIUS_KM * np.radians(lat_a - self.lat0)
        return x, y

    def lonlat(self, x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        lon = self.lon0 + np.degrees(
            np.asarray(x, dtype=float) / (EARTH_RADIUS_KM * np.cos(np.radians(self.lat0)))
        )
        lat = self.lat0 + np.degrees(np.asarray(y, dtype=float) / EARTH_RADIUS_KM)
        return lon, lat


def ring(
    lon: float, lat: float, radius_km: float, points: int = 120
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The great-circle ring of ``radius_km`` around (lon, lat), as closed lon/lat arrays."""
    bearing = np.linspace(0.0, 2.0 * np.pi, points)
    angle = radius_km / EARTH_RADIUS_KM
    lat1, lon1 = np.radians(lat), np.radians(lon)
    lat2 = np.arcsin(np.sin(lat1) * np.cos(angle) + np.cos(lat1) * np.sin(angle) * np.cos(bearing))
    lon2 = lon1 + np.arctan2(
        np.sin(bearing) * np.sin(angle) * np.cos(lat1),
        np.cos(angle) - np.sin(lat1) * np.sin(lat2),
    )
    return np.degrees(lon2), np.degrees(lat2)
