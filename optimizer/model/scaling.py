r"""Column scaling of continuous variables whose reachable range is tiny (numerics, SPEC §8 F7).

A coverage variable y_r lives in [0, 1], but when a requirement is large and the effectiveness
of the stations that can serve it small (requirement 10,000, effectiveness 0.001), the most it
can reach is Σ e x_t / req_r ≈ 1e-7: below a double-precision solver's feasibility tolerance.
The solver then sees y_r = 0 and y_r = 2e-7 as equal, and with a large sector weight (1e6) the
difference is a fifth of a point of objective, lost while it reports "optimal". Scaling such a
column by its reachable maximum u_j,

    y_j = u_j ỹ_j,   ỹ_j ∈ [0, 1],   A[:, j] <- u_j A[:, j],   c_j <- u_j c_j,

gives the solver a variable of ordinary size and leaves every row, the objective and the bound
unchanged in value. u_j comes from the rows themselves (bound propagation): a row
``a_j v_j + Σ_i a_i v_i <= b`` with a_j > 0 gives ``v_j <= (b - Σ_i min(a_i v_i)) / a_j``; two
passes carry the bound from the coverage rows (C5) to the sector columns (C6, O3).

Only continuous columns whose reachable maximum is below ``THRESHOLD`` of their declared upper
bound are scaled: an ordinary instance is passed to the solver exactly as built.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from optimizer.solvers.base import MatrixModel

THRESHOLD = 1e-3
PASSES = 3


@dataclass(frozen=True)
class Scaling:
    """v = factor * ṽ for every column (1 where not scaled)."""

    factor: np.ndarray

    @property
    def active(self) -> bool:
        return bool((self.factor != 1.0).any())

    def to_solver(self, v: np.ndarray | None) -> np.ndarray | None:
        return None if v is None else np.asarray(v, dtype=float) / self.factor

    def from_solver(self, v: np.ndarray | None) -> np.ndarray | None:
        return None if v is None else np.asarray(v, dtype=float) * self.factor


def implied_upper(model: MatrixModel, passes: int = PASSES) -> np.ndarray:
    """Upper bounds of the columns implied by the rows (``<=`` side), tightened ``passes`` times."""
    A = sp.csr_matrix(model.A)
    lo = np.asarray(model.col_lo, dtype=float).copy()
    hi = np.asarray(model.col_hi, dtype=float).copy()
    if A.nnz == 0:
        return hi
    rows = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))
    cols, a = A.indices, A.data
    finite_rhs = np.isfinite(model.row_hi)
    for _ in range(passes):
        # the smallest each term a_i v_i can be, per row (infinite when it is unbounded below)
        term_min = np.where(a > 0, a * lo[cols], a * hi[cols])
        term_min = np.where(np.isnan(term_min), 0.0, term_min)
        own_inf = np.isinf(term_min)
        infinite = np.bincount(rows, weights=own_inf, minlength=A.shape[0])
        finite_sum = np.bincount(
            rows, weights=np.where(own_inf, 0.0, term_min), minlength=A.shape[0]
        )
        # v_j <= (b - (row min - own term)) / a_j, where every other term is bounded below
        others_inf = infinite[rows] - own_inf
        rest = finite_sum[rows] - np.where(own_inf, 0.0, term_min)
        usable = (a > 0) & (others_inf == 0) & finite_rhs[rows]
        if not usable.any():
            break
        bound = np.full(len(a), np.inf)
        bound[usable] = (model.row_hi[rows[usable]] - rest[usable]) / a[usable]
        # the tightest bound per column: the entries in column order (CSC), reduced by column
        by_column = sp.csr_matrix((bound, A.indices, A.indptr), shape=A.shape).tocsc()
        filled = np.flatnonzero(np.diff(by_column.indptr))
        tightest = np.full(len(hi), np.inf)
        tightest[filled] = np.minimum.reduceat(by_column.data, by_column.indptr[filled])
        hi = np.minimum(hi, np.maximum(tightest, lo))
    return hi


def column_scaling(model: MatrixModel) -> Scaling:
    """Scale factors for continuous columns whose reachable range is far below their bound."""
    factor = np.ones(model.shape[1])
    continuous = ~np.asarray(model.integer, dtype=bool)
    if not continuous.any() or model.A.nnz == 0 or not _lopsided(model, continuous):
        return Scaling(factor)
    reach = implied_upper(model)
    declared = np.asarray(model.col_hi, dtype=float)
    tiny = (
        continuous
        & np.isfinite(declared)
        & (declared > 0)
        & (np.asarray(model.col_lo) == 0)
        & (reach > 0)
        & (reach < THRESHOLD * declared)
    )
    factor[tiny] = reach[tiny]
    return Scaling(factor)


def _lopsided(model: MatrixModel, continuous: np.ndarray) -> bool:
    """Some row gives a continuous column a coefficient ``1 / THRESHOLD`` times its smallest:
    the only way such a column's reach can fall below THRESHOLD of its bound (one cheap pass,
    so that ordinary models skip the propagation)."""
    A = sp.csr_matrix(model.A)
    filled = np.flatnonzero(np.diff(A.indptr))
    if len(filled) == 0:
        return False
    size = np.abs(A.data)
    starts = A.indptr[filled]
    smallest = np.minimum.reduceat(size, starts)
    largest_continuous = np.maximum.reduceat(np.where(continuous[A.indices], size, 0.0), starts)
    return bool((largest_continuous > smallest / THRESHOLD).any())


def scaled(model: MatrixModel, scaling: Scaling) -> MatrixModel:
    """``model`` in the scaled columns (same rows, same objective values).

    Each row holding a scaled column is then divided by its largest coefficient: a row such as
    ``z_k - y_r <= 0`` between two scaled columns would otherwise carry coefficients of 1e-7,
    and the solver's absolute feasibility tolerance would let z exceed y by whole units.
    """
    if not scaling.active:
        return model
    f = scaling.factor
    A = sp.csr_matrix(model.A @ sp.diags(f))
    touched = np.zeros(A.shape[0], dtype=bool)
    moved = sp.csr_matrix(model.A)[:, np.flatnonzero(f != 1.0)]
    touched[np.unique(moved.nonzero()[0])] = True
    largest = np.asarray(abs(A).max(axis=1).todense()).ravel()
    r = np.where(touched & (largest > 0), 1.0 / np.where(largest > 0, largest, 1.0), 1.0)
    return replace(
        model,
        A=sp.csr_matrix(sp.diags(r) @ A),
        row_lo=np.asarray(model.row_lo, dtype=float) * r,
        row_hi=np.asarray(model.row_hi, dtype=float) * r,
        c=np.asarray(model.c, dtype=float) * f,
        col_lo=np.asarray(model.col_lo, dtype=float) / f,
        col_hi=np.minimum(
            np.asarray(model.col_hi, dtype=float) / f, np.where(f != 1.0, 1.0, np.inf)
        ),
    )
