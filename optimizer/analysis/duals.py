"""LP-relaxation duals of the pools' availability rows (C1), shown beside S2 and labelled so.

These are *not* the marginal values the spec asks for (those are re-solved MIPs, see
:mod:`optimizer.analysis.sensitivity`); they are the shadow prices of the LP relaxation of
the same formulation, for the primary objective only, per unit of the pool. They are cheap and
smooth but ignore integrality: a pool with six aircraft per station shows a positive LP value
for one more aircraft even though a MIP gains nothing until the sixth.

The relaxation: every integrality flag off, and each station column's upper bound relaxed from
``min(post room, floor(units / units per station))`` to the post's room, so the pool's C1 row,
not a column bound, carries the pool's limit (the floor is a tightening for integer plans only).
Within the C1 family the rows are: one per pool that has admissible triples, by pool index,
then the posts' room rows (see :func:`optimizer.model.formulation.build`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from optimizer.instance.schema import Instance
from optimizer.model.solve import build_model
from optimizer.solvers import SolverOptions
from optimizer.solvers.highs import apply_options, new_highs, to_highs_lp


def pool_duals(instance: Instance) -> dict[str, float | None]:
    """Per pool id: change of the primary objective (in its own sense) per extra unit, in the
    LP relaxation; None for pools without a C1 row (no admissible placement, or C1 off)."""
    import highspy

    formulation, _ = build_model(instance)
    data = formulation.data
    out: dict[str, float | None] = {p.id: None for p in instance.pools}
    if not instance.scenario.enabled("C1") or "C1" not in formulation.families:
        return out
    phase = formulation.phases[0]
    matrix = formulation.matrix
    col_hi = np.asarray(matrix.col_hi, dtype=float).copy()
    col_hi[formulation.x_slice] = data.s_max[data.t_station]
    relaxed = replace(
        matrix,
        c=np.asarray(phase.c, dtype=float),
        col_hi=col_hi,
        integer=np.zeros(matrix.shape[1], dtype=bool),
    )
    h = new_highs()
    apply_options(h, SolverOptions())  # one thread, quiet (the MIP options do not apply)
    h.passModel(to_highs_lp(relaxed))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return out
    row_dual = np.asarray(h.getSolution().row_dual, dtype=float)
    first_row = formulation.families["C1"][0]
    # HiGHS: row_dual = d(minimised objective)/d(row bound); the phase minimises -objective
    # when the objective is maximised.
    sense = -1.0 if phase.maximise else 1.0
    for offset, p in enumerate(np.unique(data.t_pool)):
        value = sense * float(row_dual[first_row + offset])
        out[instance.pools[int(p)].id] = value + 0.0  # no negative zero
    return out
