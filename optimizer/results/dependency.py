"""A1, the static part: a plan's figures, and what the same plan loses without its US stations.

The counterfactual (re-optimised) part is :mod:`optimizer.analysis.us_dependency`. Losses are in
miles of front and coverage points (sector weight x kind weight x coverage, the objective's
units), per kind; never percentages.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from optimizer.instance.schema import Objective
from optimizer.model.data import ModelData
from optimizer.model.evaluate import Coverage, coverage
from optimizer.results.by_kind import points_by_kind
from optimizer.results.metrics import headline

#: Figures of a plan; a loss is the plan's figure minus the counterfactual's, for each.
FIGURES = ("objective", "front_miles_covered", "front_points", "air_points", "sea_points")


def plan_figures(data: ModelData, cov: Coverage, objective: float | None) -> dict[str, Any]:
    """Front miles and points per kind of one plan (objective in the scenario's own sense)."""
    points = points_by_kind(data, cov.sector)["objective_by_kind"]
    assert isinstance(points, dict)
    return {
        "objective": objective,
        "front_miles_covered": headline(data, cov)["front_miles_covered"],
        "front_points": points["front"],
        "air_points": points["air"],
        "sea_points": points["sea"],
    }


def static_loss(data: ModelData, counts: np.ndarray) -> dict[str, Any]:
    """The current plan without its US-dependent stations, not re-planned."""
    without = counts * ~data.p_us_dependent[data.t_pool]
    now = plan_figures(data, coverage(data, counts), None)
    after = plan_figures(data, coverage(data, without), None)
    out: dict[str, Any] = {
        "label": "same plan without US stations (static, not re-planned)",
        "us_dependent_stations": round(float(counts.sum() - without.sum())),
    }
    for key in FIGURES[1:]:
        out[f"{key.removesuffix('_covered')}_lost"] = now[key] - after[key]
    points = sum(out[f"{kind}_points_lost"] for kind in ("front", "air", "sea"))
    max_coverage = data.instance.scenario.objective is Objective.MAX_COVERAGE
    out["objective_lost"] = points if max_coverage else None  # else no objective of its own
    return out
