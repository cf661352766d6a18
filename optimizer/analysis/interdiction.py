r"""Attacker-defender interdiction (SPEC 10 D1, and the worst coalitions of SPEC 9 A4).

An attacker removes up to K *targets* (bases or ports, nations, escort ships); the coalition
then re-optimises its posture over what is left. The attacker wants the removal whose re-planned
optimum is lowest:

    min_{a ∈ A_K}  v(a),      v(a) = max { coverage(x) : x feasible for the instance after a }

Two exact methods, which must agree wherever both run:

*Enumeration* solves v(a) for every removal of exactly K targets (the defender's value never
rises when more is removed, so the worst removal of at most K has K targets when there are K).

*Cutting planes* (the attacker-defender decomposition of Brown, Carlyle, Salmerón and Wood,
"Defending critical infrastructure", Interfaces 36(6), 2006): a master problem chooses the
removal a, the defender's re-plan x̂ = argmax v(a) is solved, and x̂ gives a cut, a lower bound
on the defender's value of *every* removal, linear in a:

    θ >= Σ_k w_k ζ_k,     ζ_k >= 0,
    ζ_k >= ẑ_k - Σ_i a_i L_ik - λ R_k - Σ_p μ_p M_pk                              (cut)

where ẑ is the sector coverage of x̂. The cut says: keep x̂ but drop what the removal destroys.
    L_ik  coverage sector k loses when every station of x̂ that needs target i is dropped:
          Σ_{r ∈ k} Σ_{t: i ∈ D_t} e_rt x̂_t / req_r (partial coverage), or Σ_{r ∈ k} ŷ_r when
          any such station serves r (threshold coverage: the requirement may fail outright);
          D_t, the targets triple t needs: its base, or its nation (and the US for pools that
          need the US backstop, when the backstop leaves with the US).
    λ     receiver stations dropped for want of counted tanker support (C4), integer,
          0 <= λ <= min(Σ_i a_i ceil(S_i), refuelled stations of x̂), S_i the support (in
          receiver stations) that needs target i; R_k the most one refuelled station of x̂
          gives sector k. (Bounded from above: the master, minimising, takes the largest λ
          allowed, which is at least the receivers the lost support forces down.)
    μ_p   stations of ship pool p dropped when a_p of its ships are sunk, integer,
          0 <= μ_p <= a_p ceil(1 / u_p) (u_p the fewest units one station of p in x̂ takes,
          F1); M_pk the most one station of p in x̂ gives sector k.
Fuel at a place (F2: receivers with a receptacle fed by tanker orbits within reach): each
such receiver of x̂ is taken to need every target any tanker orbit of x̂ needs (dropping them
all leaves no fuel demand). With the US-share cap (C8) the plan's US stations are also taken to
need every target a non-US station of x̂ needs (dropping them keeps the cap, on any basis).
Aggregate targets (A5) may forbid the plan minus what is removed: those take enumeration.
Every term over-states the loss of the plan x̂ kept (min(1, s - d) >= min(1, s) - d for
d >= 0, and sums over-state maxima), and the plan x̂ minus what is dropped is feasible after
the removal (the families left, C1 C2 C9 C10 C11, have non-negative coefficients): so each
cut bounds v(a) from
below for every a. At the removal â it came from, x̂ needs nothing removed and the cut is exact.
The master's minimum is a lower bound on the attacker's optimum, the best removal solved an
upper bound; they meet after finitely many iterations (a removal repeated has its exact cut).

The defender's value is the instance's primary objective, max-coverage (O1) only: the cut
bounds a sum of sector coverages, which max-min (O3) and min-cost (O2) are not; those take
enumeration.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from optimizer.analysis.batch import Batch, normalised
from optimizer.instance.changes import parse_changes
from optimizer.instance.schema import CoverageMode, Instance, Objective
from optimizer.model.data import ASSET_CLASSES, ModelData, compile_instance
from optimizer.model.evaluate import coverage
from optimizer.model.tankers import network
from optimizer.solvers import SolverOptions, Status, get_backend
from optimizer.solvers.base import INF, MatrixModel

CEIL_EPS = 1e-6  # λ <= x + 1 - ε makes an integer λ at most ceil(x)
Removal = tuple[tuple[str, int], ...]  # (target id, how many) sorted, counts > 0


@dataclass(frozen=True)
class Targets:
    """What the attacker may remove and what each removal does to the instance."""

    kind: str  # "bases", "nations" or "ships"
    ids: tuple[str, ...]
    limit: np.ndarray  # how many of each target may be removed (1, or the ships of a pool)
    needs: sp.csr_matrix  # triples x targets: 1 where the triple needs the target (not ships)
    overrides: Callable[[Mapping[str, int]], tuple[str, ...]]
    ship_pool: np.ndarray | None = None  # ships: the pool index of each target


def removal(counts: Mapping[str, int]) -> Removal:
    return tuple(sorted((k, int(v)) for k, v in counts.items() if v > 0))


def size(r: Removal) -> int:
    return sum(n for _, n in r)


@dataclass
class Evaluation:
    removal: Removal
    row: dict[str, Any]
    counts: np.ndarray | None  # the defender's re-plan, stations per nominal triple


@dataclass
class Solved:
    """Every removal evaluated so far (re-plans mapped onto the nominal triples)."""

    batch: Batch
    targets: Targets
    data: ModelData  # the nominal instance's
    seen: dict[Removal, Evaluation] = field(default_factory=dict)

    def evaluate(self, removals: list[Removal]) -> list[Evaluation]:
        todo = [r for r in dict.fromkeys(removals) if r not in self.seen]
        if todo:
            keyed = {r: self.targets.overrides(dict(r)) for r in todo}
            rows = self.batch.solve(keyed)
            for r in todo:
                plan = self.batch.plans.get(normalised(keyed[r]))
                counts = None if plan is None else self._nominal_counts(keyed[r], plan)
                self.seen[r] = Evaluation(r, rows[r], counts)
        return [self.seen[r] for r in removals]

    def _nominal_counts(self, overrides: tuple[str, ...], x: np.ndarray) -> np.ndarray:
        """A variant's plan on the nominal instance's triples (the same pool, base, station)."""
        variant = compile_instance(self.batch.base.instance(parse_changes(overrides)))
        data = self.data
        index = {
            key: t
            for t, key in enumerate(zip(data.t_pool, data.t_base, data.t_station, strict=True))
        }
        counts = np.zeros(data.n_triples)
        x = np.round(np.asarray(x[: variant.n_triples], dtype=float))
        for t in np.flatnonzero(x > 0):
            key = (variant.t_pool[t], variant.t_base[t], variant.t_station[t])
            counts[index[key]] = x[t]
        return counts


# --- targets ---------------------------------------------------------------------------------


def base_targets(instance: Instance, data: ModelData) -> Targets:
    """Bases and ports with a triple that uses them; a strike takes their capacity away."""
    used = np.unique(data.t_base)
    ids = tuple(instance.bases[b].id for b in used)
    column = {b: j for j, b in enumerate(used)}
    needs = sp.csr_matrix(
        (np.ones(data.n_triples), (np.arange(data.n_triples), [column[b] for b in data.t_base])),
        shape=(data.n_triples, len(ids)),
    )

    def overrides(counts: Mapping[str, int]) -> tuple[str, ...]:
        return tuple(f"bases.{bid}.capacity={{}}" for bid, n in sorted(counts.items()) if n > 0)

    return Targets("bases", ids, np.ones(len(ids), dtype=np.int64), needs, overrides)


def ship_targets(instance: Instance, data: ModelData) -> Targets:
    """Escort ships, by pool: sinking n ships of a pool leaves it units - n."""
    ships = ASSET_CLASSES.index("ships")
    pools = [p for p in np.unique(data.t_pool) if data.p_class[p] == ships]
    ids = tuple(instance.pools[p].id for p in pools)
    limit = np.array([int(instance.pools[p].units) for p in pools], dtype=np.int64)
    units = {instance.pools[p].id: int(instance.pools[p].units) for p in pools}
    needs = sp.csr_matrix((data.n_triples, len(ids)))

    def overrides(counts: Mapping[str, int]) -> tuple[str, ...]:
        return tuple(
            f"pools.{pid}.units={units[pid] - n}" for pid, n in sorted(counts.items()) if n > 0
        )

    return Targets("ships", ids, limit, needs, overrides, np.array(pools, dtype=np.int64))


# --- enumeration -----------------------------------------------------------------------------


def removals_of_size(targets: Targets, k: int) -> Iterator[Removal]:
    """Every removal of exactly k (or all there is, if fewer), targets in their order."""
    total = int(targets.limit.sum())
    k = min(k, total)
    if (targets.limit <= 1).all():
        for combo in itertools.combinations(targets.ids, k):
            yield removal(dict.fromkeys(combo, 1))
        return
    for picks in itertools.combinations_with_replacement(range(len(targets.ids)), k):
        counts = np.bincount(np.asarray(picks, dtype=np.int64), minlength=len(targets.ids))
        if (counts <= targets.limit).all():
            yield removal({targets.ids[j]: int(c) for j, c in enumerate(counts)})


@dataclass(frozen=True)
class Worst:
    """The worst removal of at most k targets, and how it was found."""

    k: int
    removal: Removal
    objective: float | None
    bound: float | None  # proven lower bound on the attacker's optimum
    status: str  # "optimal" when proven, else why not
    seconds: float
    method: str
    evaluated: int  # defender re-plans solved for this k (cutting planes: iterations)
    row: dict[str, Any]
    counts: np.ndarray | None


def enumerate_worst(solved: Solved, k: int) -> Worst:
    began = time.perf_counter()
    candidates = list(removals_of_size(solved.targets, k))
    evaluations = solved.evaluate(candidates)
    best = _best(evaluations)
    unproven = [e for e in evaluations if e.row.get("status") != "optimal"]
    status = "optimal" if not unproven else f"{len(unproven)} re-plans not proven optimal"
    return Worst(
        k,
        best.removal,
        best.row.get("objective"),
        best.row.get("objective") if not unproven else None,
        status,
        time.perf_counter() - began,
        "enumeration",
        len(candidates),
        best.row,
        best.counts,
    )


def _best(evaluations: list[Evaluation]) -> Evaluation:
    """The lowest objective; ties to the first removal in target order (deterministic)."""
    usable = [e for e in evaluations if e.row.get("objective") is not None]
    if not usable:
        raise RuntimeError("no removal could be re-planned (every solve failed)")
    return min(usable, key=lambda e: (round(float(e.row["objective"]), 9), e.removal))


# --- cutting planes --------------------------------------------------------------------------


@dataclass
class Cut:
    z: np.ndarray  # sectors' coverage in the plan (weighted sectors only)
    loss: np.ndarray  # targets x sectors  (L_ik)
    support: np.ndarray  # per target: support stations that need it (S_i)
    slack: float  # unused tanker support in the plan
    refuelled: np.ndarray  # per sector: most one refuelled station gives (R_k)
    receivers: float  # refuelled stations in the plan (counted support)
    spare: np.ndarray  # ship targets: spare units of the pool in the plan
    per_station: np.ndarray  # ship targets x sectors: most one station of the pool gives
    ship_units: np.ndarray  # ship targets: fewest units one station of the pool takes


class CutBuilder:
    """Turns a defender's plan into a cut (module docstring)."""

    def __init__(self, data: ModelData, targets: Targets) -> None:
        sc = data.instance.scenario
        if sc.objective is not Objective.MAX_COVERAGE:
            raise ValueError(
                "cutting planes bound a sum of sector coverages: max-coverage objective only "
                "(use enumeration for max-min or min-cost)"
            )
        if sc.aggregate_targets.items():
            raise ValueError(
                "cutting planes keep a plan minus what is removed, which aggregate targets may "
                "forbid: use enumeration"
            )
        self.data, self.targets = data, targets
        self.threshold = sc.coverage_mode is CoverageMode.THRESHOLD
        self.weighted = np.flatnonzero(data.k_weight > 0)
        self.eff = data.effective_cover().tocsc()  # R x T
        c4 = sc.enabled("C4")
        net = network(data)
        # counted support (receivers without a receptacle) and fuel at a place (F2)
        self.fuel_receiver = (net.t_group >= 0) & c4
        self.fuel_supplier = (net.t_supplier >= 0) & c4
        self.tanker_need = data.t_tanker & ~(net.t_group >= 0) & c4
        self.support = data.p_support[data.t_pool] if c4 else np.zeros(data.n_triples)
        self.us_cap = sc.enabled("C8") and sc.us_share_max is not None
        n_k = len(data.k_weight)
        # requirement pairs -> sectors, scaled by 1/req (partial) for the per-sector losses
        self.r_to_k = sp.csr_matrix(
            (np.ones(len(data.r_sector)), (data.r_sector, np.arange(len(data.r_sector)))),
            shape=(n_k, len(data.r_sector)),
        )

    def _sector_gain(self, counts: np.ndarray, ycap: np.ndarray) -> sp.csr_matrix:
        """sectors x triples: what each station of the plan gives each sector (loss if lost)."""
        eff = self.eff
        if self.threshold:
            # a requirement met (ŷ = 1) may fail when any station serving it is lost
            served = (eff != 0).astype(float)
            per = sp.diags(ycap) @ served
        else:
            per = sp.diags(1.0 / self.data.r_req) @ eff
        return (self.r_to_k @ per).tocsr()

    def cut(self, counts: np.ndarray) -> Cut:
        data, targets = self.data, self.targets
        cov = coverage(data, counts)
        gain = self._sector_gain(counts, cov.capability)  # K x T per station
        used = counts > 0
        needs = targets.needs.tocsr().astype(float)
        # F2: a receiver of fuel at a place is taken to need every target a tanker orbit of
        # the plan needs (dropping all of them leaves no fuel demand: the rest is feasible)
        needs = _also_need(needs, self.fuel_receiver & used, self.fuel_supplier & used)
        if self.us_cap and targets.kind != "ships":
            us = data.p_is_us[data.t_pool] & used
            needs = _also_need(needs, us, used & ~us)
        stations = sp.diags(counts) @ needs  # T x I: stations of each triple needing i
        loss = (gain @ stations).T.toarray()  # I x K
        support = np.asarray((sp.diags(self.support * counts) @ needs).sum(axis=0)).ravel()
        slack = float(self.support @ counts - self.tanker_need.astype(float) @ counts)
        refuelled_t = self.tanker_need & used
        refuelled = (
            np.asarray(gain[:, np.flatnonzero(refuelled_t)].max(axis=1).toarray()).ravel()
            if refuelled_t.any()
            else np.zeros(len(data.k_weight))
        )
        n_i = len(targets.ids)
        spare = np.zeros(n_i)
        ship_units = np.ones(n_i)
        per_station = np.zeros((n_i, len(data.k_weight)))
        if targets.ship_pool is not None:
            for j, p in enumerate(targets.ship_pool):
                mine = np.flatnonzero((data.t_pool == p) & used)
                spare[j] = data.p_units[p] - data.t_units[mine] @ counts[mine]
                if len(mine):
                    per_station[j] = np.asarray(gain[:, mine].max(axis=1).toarray()).ravel()
                    # one station dropped frees at least the fewest units a station takes
                    ship_units[j] = float(data.t_units[mine].min())
        if self.us_cap and targets.kind == "ships":
            # sinking non-US ships may force US stations down (C8): count them as lost too
            us_t = np.flatnonzero(data.p_is_us[data.t_pool] & used)
            if len(us_t):
                us_gain = np.asarray(gain[:, us_t] @ counts[us_t]).ravel()
                per_station = per_station + us_gain[None, :]
        receivers = float(counts[refuelled_t].sum())
        return Cut(
            cov.sector,
            loss,
            support,
            max(0.0, slack),
            refuelled,
            receivers,
            spare,
            per_station,
            ship_units,
        )


@dataclass
class Master:
    """min θ over removals of K targets, subject to every cut so far."""

    targets: Targets
    weight: np.ndarray
    cuts: list[Cut] = field(default_factory=list)

    def solve(self, k: int, options: SolverOptions) -> tuple[Removal, float, Status]:
        t = self.targets
        n_i = len(t.ids)
        ships = t.ship_pool is not None
        sectors = np.flatnonzero(self.weight > 0)
        n_k = len(sectors)
        # columns: a (n_i), θ, then per cut: ζ (n_k), λ, μ (n_i if ships)
        per_cut = n_k + 1 + (n_i if ships else 0)
        n = n_i + 1 + per_cut * len(self.cuts)
        rows, lo, hi = [], [], []
        fixed_zero: list[int] = []
        lam_cap: dict[int, float] = {}
        # Σ a = k: the defender's value never rises when more is removed (monotone), so a
        # worst removal of at most k has k targets (or all there are)
        rows.append({j: 1.0 for j in range(n_i)})
        lo.append(float(min(k, int(t.limit.sum()))))
        hi.append(float(min(k, int(t.limit.sum()))))
        for c, cut in enumerate(self.cuts):
            o = n_i + 1 + c * per_cut
            zeta, lam, mu = o, o + n_k, o + n_k + 1
            # θ - Σ w ζ >= 0
            row = {n_i: 1.0}
            for q, kk in enumerate(sectors):
                row[zeta + q] = -self.weight[kk]
            rows.append(row)
            lo.append(0.0)
            hi.append(INF)
            # ζ_k + Σ a L_ik + λ R_k + Σ μ M >= ẑ_k
            for q, kk in enumerate(sectors):
                if cut.z[kk] <= 0:
                    continue
                row = {zeta + q: 1.0}
                for j in range(n_i):
                    if cut.loss[j, kk] > 0:
                        row[j] = cut.loss[j, kk]
                if cut.refuelled[kk] > 0:
                    row[lam] = cut.refuelled[kk]
                if ships:
                    for j in range(n_i):
                        if cut.per_station[j, kk] > 0:
                            row[mu + j] = cut.per_station[j, kk]
                rows.append(row)
                lo.append(float(cut.z[kk]))
                hi.append(INF)
            # λ <= Σ_i a_i ceil(S_i) and λ <= the plan's refuelled stations, λ >= 0 integer:
            # at least the receivers the lost support can force down (the master, minimising,
            # takes the most allowed); the plan's spare support is not credited, so that a
            # removal hitting no tanker keeps λ = 0 feasible
            if cut.support.any() and cut.refuelled.any():
                row = {lam: 1.0}
                for j in np.flatnonzero(cut.support > 0).tolist():
                    row[j] = -float(np.ceil(cut.support[j] - CEIL_EPS))
                rows.append(row)
                lo.append(-INF)
                hi.append(0.0)
                lam_cap[lam] = cut.receivers
            else:
                fixed_zero.append(lam)
            if ships:
                assert t.ship_pool is not None
                for j in range(n_i):
                    # μ_p <= a_p ceil(1 / u_p): a sunk ship forces at most that many stations
                    # down; the plan's spare units are not credited
                    per_ship = max(1.0, float(np.ceil(1.0 / cut.ship_units[j] - CEIL_EPS)))
                    rows.append({mu + j: 1.0, j: -per_ship})
                    lo.append(-INF)
                    hi.append(0.0)
        A = _matrix(rows, n)
        col_lo = np.zeros(n)
        col_hi = np.full(n, INF)
        col_hi[:n_i] = t.limit
        col_hi[fixed_zero] = 0.0
        for col, cap in lam_cap.items():
            col_hi[col] = cap
        integer = np.zeros(n, dtype=bool)
        integer[:n_i] = True
        for c in range(len(self.cuts)):
            o = n_i + 1 + c * per_cut
            integer[o + n_k] = True  # λ
            if ships:
                integer[o + n_k + 1 : o + n_k + 1 + n_i] = True  # μ
        cost = np.zeros(n)
        cost[n_i] = 1.0
        model = MatrixModel(cost, A, np.array(lo), np.array(hi), col_lo, col_hi, integer)
        outcome = get_backend("highs").solve(model, options)
        if outcome.x is None:
            raise RuntimeError(f"master problem: {outcome.status.value} {outcome.message}")
        a = np.round(outcome.x[:n_i]).astype(np.int64)
        bound = outcome.bound if outcome.bound is not None else outcome.objective
        if bound is None:
            raise RuntimeError(f"master problem: {outcome.status.value} without a bound")
        return removal({t.ids[j]: int(a[j]) for j in range(n_i)}), float(bound), outcome.status


def _also_need(needs: sp.csr_matrix, who: np.ndarray, whose: np.ndarray) -> sp.csr_matrix:
    """``needs`` with the triples ``who`` also needing every target the triples ``whose`` need."""
    if not who.any() or not whose.any():
        return needs
    extra = (np.asarray(needs[whose].sum(axis=0)).ravel() > 0).astype(float)
    add = sp.csr_matrix(np.outer(who.astype(float), extra))
    out = (needs + add).tocsr()
    out.data = np.minimum(out.data, 1.0)
    return out


def _matrix(rows: list[dict[int, float]], n: int) -> sp.csr_matrix:
    indptr: list[int] = [0]
    indices: list[int] = []
    values: list[float] = []
    for row in rows:
        keys = sorted(row)
        indices.extend(keys)
        values.extend(row[key] for key in keys)
        indptr.append(len(indices))
    return sp.csr_matrix((values, indices, indptr), shape=(len(rows), n))


def cutting_plane_worst(
    solved: Solved,
    master: Master,
    builder: CutBuilder,
    k: int,
    options: SolverOptions,
    max_iterations: int = 500,
    tolerance: float = 1e-6,
) -> Worst:
    """The worst removal of at most k by attacker-defender decomposition (module docstring)."""
    began = time.perf_counter()
    iterations = 0
    lower = -INF
    unproven = False
    fed = {id(c) for c in master.cuts}
    while True:
        # every re-plan solved so far (any k, enumeration included) gives a valid cut
        for evaluation in solved.seen.values():
            key = id(evaluation)
            if evaluation.counts is not None and key not in fed:
                master.cuts.append(builder.cut(evaluation.counts))
                fed.add(key)
        candidates = [e for e in solved.seen.values() if 0 < size(e.removal) <= k]
        best = _best(candidates) if candidates else None
        upper = float(best.row["objective"]) if best is not None else INF
        if iterations >= max_iterations:
            status = f"iteration limit ({max_iterations}): gap {upper - lower:.6g}"
            break
        proposal, lower, master_status = master.solve(k, options)
        if master_status is not Status.OPTIMAL:
            unproven = True
        iterations += 1
        if best is not None and upper - lower <= tolerance * max(1.0, abs(upper)):
            status = "optimal"
            break
        if proposal in solved.seen and best is not None:
            # its exact cut is in: the bound can only be below it by the master's gap
            status = "optimal" if upper - lower <= 1e-5 * max(1.0, abs(upper)) else "stalled"
            break
        evaluation = solved.evaluate([proposal])[0]
        if evaluation.row.get("status") != "optimal":
            unproven = True
    if best is None:
        raise RuntimeError("no removal re-planned")
    if unproven and status == "optimal":
        status = "re-plans or master not all proven optimal"
    return Worst(
        k,
        best.removal,
        best.row.get("objective"),
        lower,
        status,
        time.perf_counter() - began,
        "cutting-planes",
        iterations,
        best.row,
        best.counts,
    )


__all__ = [
    "CutBuilder",
    "Master",
    "Solved",
    "Targets",
    "Worst",
    "base_targets",
    "cutting_plane_worst",
    "enumerate_worst",
    "removals_of_size",
    "ship_targets",
]
