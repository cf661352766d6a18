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
import scipy.sparse as sp

from optimizer.instance.schema import CoverageMode, Objective
from optimizer.model.evaluate import coverage
from optimizer.model.formulation import Formulation

COVERAGE_FAMILIES = ("C5", "C6", "O3")
# A station is taken when its fresh gain is within 5 % of the best stale gain (an upper
# bound): far fewer re-evaluations than exact lazy greedy on large instances, where many
# triples of near-equal gain compete for the same sectors.
ACCEPT = 0.95
REFRESH_MAX = 20_000  # rows up to this many entries drop the triples they no longer fit
# The bound that needs no solve: its subgradient steps stop at whichever comes first (0.3 s
# a step at 100,000 sectors on an idle core, milliseconds on the shipped instances).
BOUND_SECONDS = 3.0
BOUND_ITERATIONS = 30
STEP_START = 1.0  # the first Polyak step length (towards a bound of 0), halved on misses


def greedy_plan(formulation: Formulation, seconds: float | None = None) -> np.ndarray | None:
    """A feasible column vector for ``formulation`` (max coverage), or None. With
    ``seconds``, the whole of it (setup included) stops when they are spent: stations stop
    being added, and the plan so far (still feasible, possibly empty) is checked and returned."""
    ends = None if seconds is None else time.perf_counter() + seconds
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
    # Triples in a row over other columns (F2 fuel flows) or with a finite lower bound are left
    # out: whole rows at once, by the rows' entries (no loop over triples).
    blocked_rows = np.diff(A[:, n_x:].tocsr().indptr) > 0
    blocked_rows |= np.isfinite(model.row_lo[resource])
    A_x = A[:, :n_x].tocsc()
    allowed = np.ones(n_x, dtype=bool)
    triple_of_entry = np.repeat(np.arange(n_x), np.diff(A_x.indptr))
    allowed[triple_of_entry[blocked_rows[A_x.indices]]] = False
    counts = np.zeros(n_x)
    if not _spent(ends):
        _lazy_greedy(formulation, A_x, hi, allowed, ends, counts)
    return _full_vector(formulation, counts)


def _spent(ends: float | None) -> bool:
    return ends is not None and time.perf_counter() > ends


def _lazy_greedy(
    formulation: Formulation,
    A_x: sp.csc_matrix,
    hi: np.ndarray,
    allowed: np.ndarray,
    ends: float | None,
    counts: np.ndarray,
) -> None:
    """Adds stations to ``counts`` (in place, so that a plan stopped early is kept)."""
    data = formulation.data
    n_x = formulation.n_x
    req = data.r_req
    n_k = len(data.instance.sectors)
    per_pair = (
        data.k_weight[data.r_sector] / np.bincount(data.r_sector, minlength=n_k)[data.r_sector]
    )
    units = np.where(data.t_units > 0, data.t_units, 1.0)
    cap_hi = np.floor(formulation.matrix.col_hi[:n_x] + 1e-9)
    # First gains of every triple at once (nothing placed yet), the same sum as gain(t): the
    # requirement pairs' rows scaled to min(1, e/req), then one transposed product.
    by_pair = data.effective_cover()
    first_share = by_pair.copy()
    first_share.data = np.minimum(1.0, by_pair.data / np.repeat(req, np.diff(by_pair.indptr)))
    first = (first_share.T @ per_pair) / units
    del first_share
    if _spent(ends):
        return
    eff = by_pair.tocsc()  # requirement pairs x triples, a triple's pairs at hand
    by_row = A_x.tocsr()
    row_size = np.diff(by_row.indptr)
    row_max = np.zeros(len(hi))  # the largest entry of each row: a row with more slack fits all
    np.maximum.at(row_max, np.repeat(np.arange(len(hi)), row_size), by_row.data)
    refreshed = np.full(len(hi), np.nan)  # activity of a large row when last swept
    dead = np.zeros(n_x, dtype=bool)
    effective = np.zeros(len(req))
    activity = np.zeros(len(hi))
    if _spent(ends):
        return

    def gain(t: int) -> float:
        sl = slice(eff.indptr[t], eff.indptr[t + 1])
        r = eff.indices[sl]
        before = np.minimum(1.0, effective[r] / req[r])
        after = np.minimum(1.0, (effective[r] + eff.data[sl]) / req[r])
        return float(per_pair[r] @ (after - before)) / units[t]

    def sweep(row: int) -> int:
        """Marks the triples that no longer fit ``row``; returns how many were alive."""
        span = slice(by_row.indptr[row], by_row.indptr[row + 1])
        over = by_row.indices[span][by_row.data[span] > hi[row] - activity[row] + 1e-9]
        fresh = int(np.count_nonzero(~dead[over]))
        dead[over] = True
        return fresh

    candidates = np.flatnonzero(allowed & (cap_hi >= 1) & (first > 1e-12))
    heap = list(zip((-first[candidates]).tolist(), candidates.tolist(), strict=True))
    heapq.heapify(heap)
    killed = 0  # triples marked dead since the heap was last rebuilt
    while heap:
        if _spent(ends):
            break
        if killed > len(heap) // 2 and killed > 1000:
            # Most of the heap is dead: drop it at once instead of popping it entry by entry.
            heap = [entry for entry in heap if not dead[entry[1]]]
            heapq.heapify(heap)
            killed = 0
            continue
        _, t = heapq.heappop(heap)
        if dead[t]:
            continue
        sl = slice(A_x.indptr[t], A_x.indptr[t + 1])
        rows, coef = A_x.indices[sl], A_x.data[sl]
        over = activity[rows] + coef > hi[rows] + 1e-9
        if over.any():
            # Does not fit now (rarely later: only rows with negative entries loosen). A large
            # row it does not fit is swept once per change of its activity: every triple over
            # its slack goes at once, not one pop at a time.
            for row in rows[over]:
                if refreshed[row] != activity[row]:
                    refreshed[row] = activity[row]
                    killed += sweep(row)
            continue
        value = gain(t)
        if value <= 1e-12:
            continue  # adds nothing now, and gains only fall
        if heap and value < ACCEPT * -heap[0][0]:
            heapq.heappush(heap, (-value, t))  # stale: back in at its true gain
            continue
        activity[rows] += coef
        counts[t] += 1
        # Triples that no longer fit a row just filled are dropped at once (not popped one by
        # one later): pools, posts and bases; larger rows once a pop does not fit them.
        for row in rows[coef > 0]:
            if row_size[row] <= REFRESH_MAX and row_max[row] > hi[row] - activity[row] + 1e-9:
                killed += sweep(row)
        e = slice(eff.indptr[t], eff.indptr[t + 1])
        effective[eff.indices[e]] += eff.data[e]
        if counts[t] < cap_hi[t]:
            heapq.heappush(heap, (-gain(t), t))


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


def coverage_bound(
    formulation: Formulation,
    seconds: float = BOUND_SECONDS,
    iterations: int = BOUND_ITERATIONS,
) -> float | None:
    """An upper bound on the primary objective (max coverage or max-min) that needs no LP
    solve: the lesser of two valid bounds, the coverage of every triple at its own upper bound
    at once (resources ignored; weak) and the Lagrangian bound of the knapsack relaxation
    (`_relaxed_bound`, far tighter where resources bind). ``seconds`` and ``iterations`` cap
    the latter's subgradient steps (each step's value is valid: stopping early only loosens)."""
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
        if not front.any():
            return 0.0
        every = float(cov.sector[front].min())
        # m <= z_k for each front sector k, hence m <= the front sectors' mean coverage.
        relaxed = _relaxed_bound(formulation, front.astype(float), cov.sector, seconds, iterations)
        return min(every, relaxed / int(front.sum()))
    every = float(data.k_weight @ cov.sector)
    relaxed = _relaxed_bound(formulation, data.k_weight, cov.sector, seconds, iterations)
    return min(every, relaxed)


def _relaxed_bound(
    formulation: Formulation,
    weight: np.ndarray,
    most: np.ndarray,
    seconds: float,
    iterations: int,
) -> float:
    r"""An upper bound on Σ_k weight_k z_k over the plans of ``formulation``, without a solve.

    Validity. Let x be any feasible plan (x_t whole, 0 <= x_t <= hi_t) and E_r = Σ_t e_rt x_t
    the effectiveness it gives requirement pair r. C5 (either coverage mode: a binary y_r is
    still at most E_r/req_r) and y_r <= 1 give y_r <= min(1, E_r/req_r); C6 gives z_k <= y_r
    for each pair r of sector k, or, switched off, z_k <= mean_r y_r; both imply
    z_k <= mean_{r∈k} min(1, E_r/req_r), and z_k <= most_k, sector k's coverage with every
    triple at its upper bound hi (coverage only rises with x; most_k <= 1). For whole x_t >= 0,
    min(1, Σ_t a_t x_t) <= Σ_t x_t min(1, a_t) (if some x_t >= 1 has a_t >= 1 the right side
    is >= 1, otherwise it is Σ_t a_t x_t); so z_k <= min(1, G_k x) with
    g_kt = mean_{r∈k} min(1, e_rt/req_r), so z_k <= min(most_k, G_k x). For any λ with
    0 <= λ_k <= weight_k, weight_k min(most_k, v) <= (weight_k - λ_k) most_k + λ_k v (a convex
    combination of the two terms of the min, as weights (weight_k - λ_k)/weight_k and
    λ_k/weight_k), hence
        Σ_k weight_k z_k <= Σ_k (weight_k - λ_k) most_k + Σ_t c_t(λ) x_t,   c(λ) = Gᵀλ.
    The last sum is at most its maximum over any relaxation of the plans: x with
    0 <= x_t <= hi_t that keeps one "layer" of model rows (rows over station counts only,
    entries >= 0, an upper bound only, no two rows sharing a triple: the pools' C1 rows, the
    posts', the bases' C2 rows, C10's, C11's; every feasible plan keeps them). Over a layer
    that maximum is separable, one fractional knapsack per row (best c_t per unit of the row
    first), solved exactly by sorting; triples in none of its rows go to hi_t where c_t > 0.
    So L(λ) = Σ_k (weight_k - λ_k) most_k + min over layers of the knapsack value is a valid
    bound for every λ in the box, and so is the least L found. λ = 0 gives Σ_k weight_k most_k,
    the bound of every station at once, so this bound is never above that one; λ = weight
    gives each station worth its own gains, summed, within the pools' units (a knapsack per
    pool): far lower where resources bind. From the better of the two, projected subgradient
    steps (∂L/∂λ_k = G_k x* - most_k at the knapsack's maximiser x*; Polyak step lengths
    towards 0, halved when two steps in a row do not improve) lower λ_k on sectors the
    relaxation covers more than once and raise it where it covers them less."""
    data = formulation.data
    ends = time.perf_counter() + seconds
    n_x = formulation.n_x
    n_k = len(data.instance.sectors)
    hi_x = np.floor(formulation.matrix.col_hi[:n_x] + 1e-9)
    total = float(weight @ most)
    pairs = np.bincount(data.r_sector, minlength=n_k).astype(float)
    if data.n_triples == 0 or len(data.r_req) == 0:
        return total
    box = np.where(pairs > 0, weight, 0.0)  # λ's upper ends (a sector without pairs: λ = 0)
    eff = data.effective_cover()
    share = eff.copy()  # min(1, e_rt/req_r), row r scaled by its requirement
    share.data = np.minimum(1.0, eff.data / np.repeat(data.r_req, np.diff(eff.indptr)))
    per_pair = 1.0 / np.maximum(pairs, 1.0)[data.r_sector]
    layers = [*_layers(formulation), (np.full(n_x, -1), np.zeros(n_x), np.zeros(0))]

    def value(lam: np.ndarray, candidates) -> tuple[float, np.ndarray, int]:
        c = share.T @ (lam[data.r_sector] * per_pair)
        best: tuple[float, np.ndarray, int] | None = None
        for index in candidates:
            inner, x = fractional_knapsack(c, hi_x, layers[index])
            if best is None or inner < best[0]:
                best = (inner, x, index)
        assert best is not None
        return float((weight - lam) @ most) + best[0], best[1], best[2]

    lam = box.copy()
    bound, x, layer = value(lam, range(len(layers)))
    if bound >= total:  # λ = 0 (every station at once) is better: start there
        lam = np.zeros(n_k)
        bound, x, layer = value(lam, range(len(layers)))
    current = bound
    step_scale, misses = STEP_START, 0
    for _ in range(iterations):
        if time.perf_counter() > ends:
            break
        covered = np.bincount(data.r_sector, weights=(share @ x) * per_pair, minlength=n_k)
        slope = covered - most
        # The projected gradient: no step out of the box.
        slope[((lam <= 0) & (slope > 0)) | ((lam >= box) & (slope < 0))] = 0.0
        norm = float(slope @ slope)
        if norm <= 1e-18:
            break  # λ is optimal for this layer
        lam = np.clip(lam - step_scale * current / norm * slope, 0.0, box)
        current, x, _ = value(lam, (layer,))
        if current < bound - 1e-12:
            bound, misses = current, 0
        else:
            misses += 1
            if misses >= 2:
                step_scale, misses = step_scale / 2, 0
    return min(total, bound)


def fractional_knapsack(
    value: np.ndarray, most: np.ndarray, layer: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> tuple[float, np.ndarray]:
    """max Σ_t value_t x_t over 0 <= x_t <= most_t and Σ_{t: row_t = i} entry_t x_t <= cap_i
    for a layer (row_t, entry_t, cap) whose rows share no triple (row_t = -1: in none): one
    fractional knapsack per row, best value per unit of the row first, exact (the LP optimum).
    Returns the maximum and a maximiser."""
    row, entry, cap = layer
    x = np.zeros(len(value))
    good = value > 0
    free = good & ((row < 0) | (entry <= 0))
    x[free] = most[free]
    t = np.flatnonzero(good & ~free)
    t = t[np.argsort(-value[t] / entry[t])]  # best value per unit first,
    t = t[np.argsort(row[t], kind="stable")]  # by row (stable: that order within a row)
    size = entry[t] * most[t]
    through = np.cumsum(size)
    group = row[t]
    first = np.r_[True, group[1:] != group[:-1]]
    before_group = np.maximum.accumulate(np.where(first, through - size, 0.0))
    before = through - size - before_group  # the row's units taken by better triples
    x[t] = np.clip((cap[group] - before) / entry[t], 0.0, most[t])
    return float(value @ x), x


def _layers(formulation: Formulation) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Groups of model rows no two of which share a triple, each as (row of each triple or -1,
    its entry, each row's upper bound): the rows over station counts only, with entries >= 0
    and an upper bound only, split in model order where a row meets a triple already taken."""
    model = formulation.matrix
    n_x = formulation.n_x
    A = model.A.tocsr()
    entries = np.diff(A.indptr)
    row_of_entry = np.repeat(np.arange(A.shape[0]), entries)
    # rows with an entry < 0 or on another column than a station count
    spoilt = np.bincount(row_of_entry[(A.data < 0) | (A.indices >= n_x)], minlength=A.shape[0])
    usable = (spoilt == 0) & (entries > 0) & ~np.isfinite(model.row_lo) & np.isfinite(model.row_hi)
    chosen = np.flatnonzero(usable)
    block = A[chosen][:, :n_x].tocoo()
    row, col, coef = block.row, block.col, block.data
    caps = model.row_hi[chosen]
    layers = []
    first_row = 0
    while first_row < len(chosen):
        keep = row >= first_row
        r, c = row[keep], col[keep]
        order = np.lexsort((r, c))  # by triple, then row
        r, c = r[order], c[order]
        again = c[1:] == c[:-1]
        end = int(r[1:][again].min()) if again.any() else len(chosen)  # a triple's 2nd row
        part = keep & (row < end)
        of_triple = np.full(n_x, -1)
        entry = np.zeros(n_x)
        of_triple[col[part]] = row[part] - first_row
        entry[col[part]] = coef[part]
        layers.append((of_triple, entry, caps[first_row:end]))
        first_row = end
    return layers


def _front(formulation: Formulation) -> np.ndarray:
    from optimizer.model.evaluate import FRONT

    return formulation.data.k_kind == FRONT


__all__ = ["coverage_bound", "fractional_knapsack", "greedy_plan"]
