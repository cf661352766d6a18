"""Warm starts between related solves: a plan, and the column layout it belongs to.

A plan of one model is a valid start for another only when their columns mean the same
things (the same admissible triples, the same coverage columns); :func:`layout_key` names
that layout, and a start is handed to the solver only when the keys agree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from optimizer.model.formulation import Formulation


@dataclass(frozen=True)
class Plan:
    """A solved model's full column vector and the layout it belongs to."""

    layout: str
    x: np.ndarray

    def start_for(self, formulation: Formulation) -> np.ndarray | None:
        """This plan as a start for ``formulation``, or None when the layouts differ."""
        return self.x if self.layout == layout_key(formulation) else None


def layout_key(formulation: Formulation) -> str:
    """Identifies the column layout: a plan of one layout is a valid start for another."""
    data = formulation.data
    digest = hashlib.sha256()
    digest.update(repr((formulation.matrix.shape[1], formulation.n_y, formulation.n_z)).encode())
    for array in (data.t_pool, data.t_base, data.t_station):
        digest.update(np.ascontiguousarray(array, dtype=np.int64).tobytes())
    return digest.hexdigest()[:16]
