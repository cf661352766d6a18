"""A2: shipping protected end to end, route by route.

A route is an ordered list of sea legs sailed by ``monthly_transits`` ships a month. A transit is
protected only as far as its least-covered leg: an escort on six legs of seven leaves the ship
exposed on the seventh. So the protected share of a route is the minimum coverage over its
legs, and the overall figure is the transit-weighted mean over routes:

    protected_r = min_{l in legs(r)} z_l,      end_to_end = Σ_r T_r protected_r / Σ_r T_r

The per-leg figure (``shipping_protected_per_leg``) is the transit-weighted mean of z over
legs; it counts a leg-transit, not a voyage, and is always at least the end-to-end figure.
"""

from __future__ import annotations

import numpy as np

from optimizer.instance.schema import Instance


def end_to_end(instance: Instance, sector_coverage: np.ndarray) -> dict[str, object]:
    """Overall and per-route shares of monthly transits protected end to end (0..1)."""
    index = {s.id: k for k, s in enumerate(instance.sectors)}
    routes = []
    for route in instance.routes:
        legs = np.array([index[leg] for leg in route.legs])
        z = sector_coverage[legs]
        weakest = int(np.argmin(z))
        routes.append(
            {
                "route": route.id,
                "name": route.name,
                "monthly_transits": route.monthly_transits,
                "protected_share": float(z[weakest]),
                "transits_protected": float(route.monthly_transits * z[weakest]),
                "weakest_leg": route.legs[weakest],
                "weakest_leg_name": instance.sectors[legs[weakest]].name,
            }
        )
    transits = sum(r["monthly_transits"] for r in routes)
    protected = sum(r["transits_protected"] for r in routes)
    return {
        "shipping_protected_end_to_end": protected / transits if transits > 0 else None,
        "shipping_routes": routes,
    }
