"""A3: the weighted coverage split by kind of sector (front, air, sea points).

points_kind = Σ_{k of that kind} w_k z_k, where w_k is the sector's weight times its kind weight
(the objective's coefficients), so the three parts add up to the max-coverage objective. For
min-cost, min-units and max-min the parts add up to the plan's weighted coverage instead.
"""

from __future__ import annotations

import numpy as np

from optimizer.instance.schema import SectorKind
from optimizer.model.data import ModelData
from optimizer.model.formulation import aggregate_sizes

KINDS = tuple(SectorKind)


def points_by_kind(data: ModelData, sector_coverage: np.ndarray) -> dict[str, object]:
    """Points earned and possible per kind, and each kind's share of the points earned."""
    earned: dict[str, float] = {}
    possible: dict[str, float] = {}
    for i, kind in enumerate(KINDS):
        mask = data.k_kind == i
        earned[kind.value] = float(data.k_weight[mask] @ sector_coverage[mask])
        possible[kind.value] = float(data.k_weight[mask].sum())
    total = sum(earned.values())
    return {
        "objective_by_kind": earned,
        "points_possible_by_kind": possible,
        "objective_share_by_kind": {
            k: (v / total if total > 0 else None) for k, v in earned.items()
        },
    }


def aggregate_targets(data: ModelData, sector_coverage: np.ndarray) -> list[dict[str, object]]:
    """A5: each total target with what it asks and what the plan reaches, in its own unit."""
    out: list[dict[str, object]] = []
    for name, share in data.instance.scenario.aggregate_targets.items():
        size = aggregate_sizes(data, name)
        possible = float(size.sum())
        reached = float(size @ sector_coverage)
        out.append(
            {
                "target": name,
                "unit": "mi" if name == "front_miles" else "pts",
                "share": share,
                "required": share * possible,
                "reached": reached,
                "possible": possible,
                "met": reached >= share * possible - 1e-6 * max(1.0, possible),
            }
        )
    return out
