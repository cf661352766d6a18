"""A plan's coverage and objective, evaluated from its station counts (C5, C6, O1-O3).

The solver's y and z columns may carry slack (a zero-weight sector, a tie-break phase); the
figures the tool reports are always recomputed here from the integer plan.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optimizer.instance.schema import CoverageMode, Objective, SectorKind
from optimizer.model.data import ModelData

FRONT = list(SectorKind).index(SectorKind.FRONT)


@dataclass(frozen=True)
class Coverage:
    capability: np.ndarray  # per requirement pair, 0..1
    sector: np.ndarray  # per sector, 0..1
    effective: np.ndarray  # per requirement pair, effective stations present


def coverage(data: ModelData, counts: np.ndarray) -> Coverage:
    """Sector coverage of a plan (C5, C6 in the scenario's coverage mode)."""
    sc = data.instance.scenario
    effective = data.effective_cover() @ counts if data.n_triples else np.zeros(len(data.r_req))
    if sc.coverage_mode is CoverageMode.THRESHOLD:
        cap = (effective >= data.r_req - 1e-9).astype(float)
    else:
        cap = np.minimum(1.0, effective / data.r_req)
    n_k = len(data.instance.sectors)
    starts = np.searchsorted(data.r_sector, np.arange(n_k))
    if sc.enabled("C6"):
        sector = np.minimum.reduceat(cap, starts)
    else:
        sector = np.add.reduceat(cap, starts) / np.bincount(data.r_sector, minlength=n_k)
    return Coverage(capability=cap, sector=sector, effective=effective)


def objective_value(data: ModelData, counts: np.ndarray, cov: Coverage) -> float:
    """The primary objective of the scenario, evaluated on a plan."""
    sc = data.instance.scenario
    if sc.objective is Objective.MIN_COST:
        return float(data.t_cost @ counts)
    if sc.objective is Objective.MIN_UNITS:
        return float(data.t_units @ counts)
    if sc.objective is Objective.MAX_MIN:
        front = data.k_kind == FRONT
        return float(cov.sector[front].min()) if front.any() else 0.0
    return float(data.k_weight @ cov.sector)
