"""A fast constructive plan: greedy by marginal coverage per unit, for a MIP start or a fallback.

On the largest instances (100,000 sectors, 8 million nonzeros) HiGHS spends more than a
minute in presolve before it has any plan. This builds one in seconds: starting from no
station, it adds, one station at a time, the triple of largest coverage gain per unit it
consumes (lazy greedy: gains only fall as coverage rises, so a stale gain is an upper bound
and is recomputed only when it reaches the top of the heap), as long as every resource row
(C1-C4, C8-C11: all rows but coverage, C5-C6, and the max-min rows) stays within its bounds.
The gain of a station counts each requirement pair it serves at the sector's weight over the
sector's number of pairs, times the rise in that pair's coverage (partial: min(1, e/req);
C6 makes a sector's coverage the least of its pairs, which would give no gain until the
last pair is met; the average is the gain that lets a sector be built up pair by pair).

Triples in a row that holds a column other than station counts (the F2 fuel flows), or in a
row with a finite lower bound, are left out: a plan without them is still feasible. The
result is the full column vector (y, z and m at the values the plan gives them, flows 0),
checked against every row and bound; None when it does not check (or the objective is not
one of maximum coverage), so that no infeasible start is ever handed over.
"""

from __future__ import annotations

import heapq
import time

import numpy as np

from optimizer.instance.schema import CoverageMode, Objective
from optimizer.model.evaluate import coverage
from optimizer.model.formulation import Formulation

COVERAGE_FAMILIES = ("C5", "C6", "O3")
# A station is taken when its fresh gain is within 5 % of the best stale gain (an upper
# bound): far fewer re-evaluations than exact lazy greedy on large instances, where many
# triples of near-equal gain compete for the same sectors.
ACCEPT = 0.95
REFRESH_MAX = 20_000  # rows up to this many entries drop the triples they no longer fit


def greedy_plan(formulation: Formulation, seconds: float | None = None) -> np.ndarray | None:
    """A feasible column vector for ``formulation`` (max coverage), or None. With
    ``seconds``, stations stop being added when they are spent (the plan stays feasible)."""
    data = formulation.data
    sc = data.instance.scenario
    if sc.objective not in (Objective.MAX_COVERAGE, Objective.MAX_MIN) or data.n_triples == 0:
        return None
    model = formulation.matrix
    n_x = formulation.n_x
    if (model.col_lo[:n_x] > 0).any():
        return None
    resource = np.ones(model.shape[0], dtype=bool)
    for family in COVERAGE_FAMILIES:
        if family in formulation.families:
            start, stop = formulation.families[family]
            resource[start:stop] = False
    A = model.A.tocsr()[resource]
    hi = model.row_hi[resource]
    if (hi < -1e-9).any() or (model.row_lo[resource] > 1e-9).any():
        return None  # no plan is feasible at zero: nothing to build on
    blocked_rows = np.zeros(A.shape[0], dtype=bool)
    other = A[:, n_x:]
    blocked_rows[np.unique(other.nonzero()[0])] = True
    blocked_rows |= np.isfinite(model.row_lo[resource])
    A_x = A[:, :n_x].tocsc()
    allowed = np.ones(n_x, dtype=bool)
    rows_of = A_x.indices
    blocked_t = np.repeat(np.arange(n_x), np.diff(A_x.indptr))[blocked_rows[rows_of]]
    allowed[blocked_t] = False
    ends = None if seconds is None else time.perf_counter() + seconds
    counts = _lazy_greedy(formulation, A_x, hi, allowed, ends)
    return _full_vector(formulation, counts)


def _lazy_greedy(
    formulation: Formulation, A_x, hi: np.ndarray, allowed: np.ndarray, ends: float | None
) -> np.ndarray:
    data = formulation.data
    n_x = formulation.n_x
    eff = data.effective_cover().tocsc()  # requirement pairs x triples
    req = data.r_req
    n_k = len(data.instance.sectors)
    per_pair = (
        data.k_weight[data.r_sector] / np.bincount(data.r_sector, minlength=n_k)[data.r_sector]
    )
    units = np.where(data.t_units > 0, data.t_units, 1.0)
    cap_hi = np.floor(formulation.matrix.col_hi[:n_x] + 1e-9)
    by_row = A_x.tocsr()
    row_size = np.diff(by_row.indptr)
    dead = np.zeros(n_x, dtype=bool)
    effective = np.zeros(len(req))
    activity = np.zeros(len(hi))
    counts = np.zeros(n_x)

    def gain(t: int) -> float:
        sl = slice(eff.indptr[t], eff.indptr[t + 1])
        r = eff.indices[sl]
        before = np.minimum(1.0, effective[r] / req[r])
        after = np.minimum(1.0, (effective[r] + eff.data[sl]) / req[r])
        return float(per_pair[r] @ (after - before)) / units[t]

    # First gains of every triple at once (nothing placed yet): the same sum as gain(t).
    pair = np.repeat(np.arange(eff.shape[1]), np.diff(eff.indptr))  # triple of each entry
    first = (
        np.bincount(
            pair,
            weights=per_pair[eff.indices] * np.minimum(1.0, eff.data / req[eff.indices]),
            minlength=n_x,
        )
        / units
    )
    candidates = np.flatnonzero(allowed & (cap_hi >= 1) & (first > 1e-12))
    heap = list(zip((-first[candidates]).tolist(), candidates.tolist(), strict=True))
    heapq.heapify(heap)
    while heap:
        if ends is not None and time.perf_counter() > ends:
            break
        _, t = heapq.heappop(heap)
        if dead[t]:
            continue
        sl = slice(A_x.indptr[t], A_x.indptr[t + 1])
        rows, coef = A_x.indices[sl], A_x.data[sl]
        if (activity[rows] + coef > hi[rows] + 1e-9).any():
            continue  # does not fit now (rarely later: only rows with negative entries loosen)
        value = gain(t)
        if value <= 1e-12:
            continue  # adds nothing now, and gains only fall
        if heap and value < ACCEPT * -heap[0][0]:
            heapq.heappush(heap, (-value, t))  # stale: back in at its true gain
            continue
        activity[rows] += coef
        counts[t] += 1
        # Triples that no longer fit a row just filled are dropped at once (not popped one by
        # one later): pools, posts and bases; rows over all triples are checked at each pop.
        for row in rows[coef > 0]:
            if row_size[row] <= REFRESH_MAX:
                span = slice(by_row.indptr[row], by_row.indptr[row + 1])
                over = by_row.data[span] > hi[row] - activity[row] + 1e-9
                dead[by_row.indices[span][over]] = True
        e = slice(eff.indptr[t], eff.indptr[t + 1])
        effective[eff.indices[e]] += eff.data[e]
        if counts[t] < cap_hi[t]:
            heapq.heappush(heap, (-gain(t), t))
    return counts


def _full_vector(formulation: Formulation, counts: np.ndarray) -> np.ndarray | None:
    data = formulation.data
    model = formulation.matrix
    x = np.zeros(model.shape[1])
    x[formulation.x_slice] = counts
    cov = coverage(data, counts)
    y = cov.capability
    if data.instance.scenario.coverage_mode is CoverageMode.THRESHOLD:
        y = np.floor(y + 1e-9)
    x[formulation.y_slice] = np.clip(y, 0.0, 1.0)
    z = cov.sector
    x[formulation.z_slice] = np.clip(z, 0.0, 1.0)
    if formulation.has_m:
        front = formulation.families.get("O3")
        x[-1] = float(np.min(z[_front(formulation)])) if front else 0.0
    activity = model.A @ x
    ok = (activity <= model.row_hi + 1e-7).all() and (activity >= model.row_lo - 1e-7).all()
    ok = ok and (x >= model.col_lo - 1e-9).all() and (x <= model.col_hi + 1e-9).all()
    return x if ok else None


def coverage_bound(formulation: Formulation) -> float | None:
    """An upper bound on the primary objective (max coverage or max-min) that needs no solve:
    every triple at its own upper bound at once, resources ignored. Weak, but valid: a plan
    and this bound give an honest gap when the solver has neither within its time limit."""
    data = formulation.data
    objective = data.instance.scenario.objective
    if objective not in (Objective.MAX_COVERAGE, Objective.MAX_MIN):
        return None
    most = formulation.matrix.col_hi[formulation.x_slice]
    if not np.isfinite(most).all():
        return None
    cov = coverage(data, np.floor(most + 1e-9))
    if objective is Objective.MAX_MIN:
        front = _front(formulation)
        return float(cov.sector[front].min()) if front.any() else 0.0
    return float(data.k_weight @ cov.sector)


def _front(formulation: Formulation) -> np.ndarray:
    from optimizer.model.evaluate import FRONT

    return formulation.data.k_kind == FRONT


__all__ = ["coverage_bound", "greedy_plan"]
