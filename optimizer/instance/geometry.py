"""Great-circle geometry: haversine distances and radius queries on the sphere."""

from __future__ import annotations

import itertools

import numpy as np
from scipy.spatial import cKDTree

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
KM_PER_MILE = 1.609344
KM_PER_NM = 1.852


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km; broadcasts over NumPy arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lmb = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(phi) * np.cos(lmb), np.cos(phi) * np.sin(lmb), np.sin(phi)))


def pairs_within(
    lat_a: np.ndarray,
    lon_a: np.ndarray,
    radius_km: np.ndarray,
    lat_b: np.ndarray,
    lon_b: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j) with great-circle distance(a_i, b_j) <= radius_km[i], sorted by (i, j).

    A k-d tree over unit vectors answers each ball query in chord distance, so the cost grows
    with the number of pairs found, not with len(a) * len(b).
    """
    if len(lat_a) == 0 or len(lat_b) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    tree = cKDTree(unit_vectors(lat_b, lon_b))
    angle = np.minimum(np.asarray(radius_km, dtype=float) / EARTH_RADIUS_KM, np.pi)
    chord = 2.0 * np.sin(angle / 2.0) * (1 + 1e-12) + 1e-12
    hits = tree.query_ball_point(unit_vectors(lat_a, lon_a), chord, return_sorted=True)
    counts = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
    rows = np.repeat(np.arange(len(hits), dtype=np.int64), counts)
    cols = (
        np.concatenate([np.asarray(h, dtype=np.int64) for h in hits if h])
        if counts.sum()
        else np.zeros(0, dtype=np.int64)
    )
    # The chord test is exact up to rounding; re-check with haversine so the rule is one rule.
    dist = haversine_km(lat_a[rows], lon_a[rows], lat_b[cols], lon_b[cols])
    keep = dist <= np.asarray(radius_km, dtype=float)[rows] + 1e-9
    return rows[keep], cols[keep]


HOSTILE_STEP_KM = 5.0  # F3: hostile lines are sampled at least this finely


def hostile_points(areas) -> tuple[np.ndarray, np.ndarray]:
    """F3: the points whose nearest one gives a station's distance to hostile territory.

    Point sets as given; a line's vertices plus points along each segment (great-circle
    interpolation) no more than HOSTILE_STEP_KM apart, so the distance to a line is exact to
    within half that step. ``areas`` are records with ``points`` and ``line``.
    """
    lats: list[np.ndarray] = []
    lons: list[np.ndarray] = []
    for area in areas:
        pts = np.array(area.points, dtype=float).reshape(-1, 2)
        if not area.line or len(pts) == 1:
            lats.append(pts[:, 0])
            lons.append(pts[:, 1])
            continue
        for (la1, lo1), (la2, lo2) in itertools.pairwise(pts):
            length = float(haversine_km(la1, lo1, la2, lo2))
            steps = max(1, int(np.ceil(length / HOSTILE_STEP_KM)))
            a, b = unit_vectors(np.array([la1, la2]), np.array([lo1, lo2]))
            omega = np.arccos(np.clip(a @ b, -1.0, 1.0))
            f = np.linspace(0.0, 1.0, steps + 1)
            if omega < 1e-12:
                v = np.repeat(a[None, :], len(f), axis=0)
            else:
                v = (
                    np.sin((1 - f) * omega)[:, None] * a + np.sin(f * omega)[:, None] * b
                ) / np.sin(omega)
            lats.append(np.degrees(np.arcsin(np.clip(v[:, 2], -1, 1))))
            lons.append(np.degrees(np.arctan2(v[:, 1], v[:, 0])))
    if not lats:
        return np.zeros(0), np.zeros(0)
    return np.concatenate(lats), np.concatenate(lons)
