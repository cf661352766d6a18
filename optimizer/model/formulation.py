r"""The posture model (SPEC 3), built once as sparse arrays.

Sets: pools P, bases B, stations S, sectors K (front F ⊆ K), capabilities C, admissible triples
T ⊆ P x B x S (see :mod:`optimizer.model.data`), requirement pairs R = {(k, c): req_kc > 0}.

Variables
    x_t ∈ Z+        stations of pool p(t) flown/sailed from base b(t) at station s(t)
    y_r ∈ [0, 1]    coverage of sector k(r) by capability c(r)  (binary in threshold mode)
    z_k ∈ [0, 1]    coverage of sector k
    f_gh >= 0       fuel (t/day) tanker orbit h gives receivers of group g (F2)
    m   ∈ [0, 1]    worst front coverage (O3 only)

Constraints (each family can be switched off with ``scenario.constraints.Cn: false``)
    C1  Σ_{t∈T(p)} u_t x_t <= U_p                         units offered by pool p
        Σ_{t∈T(s)} x_t <= n_s                             stations that fit at one post
    C2  Σ_{t∈T(b), class(p)=a} u_t x_t <= cap_{b,a}       base capacity per asset class
    C3  (in T) d(b, s) <= R_p, or <= R^ext_p with tanker support: τ_t = 1
    C4  Σ_t τ_t x_t <= Σ_{t: p tanker} σ_p x_t            tanker support, counted (receiver
        pools without a receptacle);  F2 tanker support at a place (receivers with one):
        Σ_{t∈g} d_t x_t <= Σ_h f_gh,  Σ_g f_gh <= Σ_{t∈h} o_q x_t  over fuel flows f >= 0 from
        compatible tanker orbits h within support radius (optimizer.model.tankers)
    C5  req_r y_r <= Σ_{t covers k(r), cap c(r)} e_p x_t  capability coverage; F5: for a sector
        with a training need, req_r is the need in trainees a month and a training station adds
        e_p x trainees_per_month_p / (needy sectors it covers) (optimizer.model.data)
    C6  z_k <= y_r for r ∋ k (off: z_k <= mean_r y_r)     joint requirement
    C7  (in T) pool usable only at the US level it needs
    C8  Σ_t (us_p - ς) w_t x_t <= 0                       US share at most ς, counted by
        scenario.us_share_basis (F4): w_t = u_t units (default), 1 stations, cost_t cost,
        or capability Σ_{r} w_k(r) e_p / req_r (the coverage points one station adds)
    C9  (in T) presence in Ukraine and robust ROE; F3 stand-off: a station of capability c
        with scenario.standoff_km[c] = S is in T only if its distances to the contact line
        and to hostile territory are both >= S;  Σ_t risk_s x_t <= E   escalation budget, with
        risk_s = escalation_risk_s + max(0, 1 - front_km_s / scenario.escalation_range_km[c])
    C10 Σ_{t: non-littoral, Black Sea} w_p x_t <= 45,000 t; per nation <= 30,000 t;
        (in T) none with the straits closed
    C11 Σ_t (cost_t + cost_s) x_t <= budget

F1 time on station: u_t (units one station of triple t consumes) and cost_t (the pool's cost of
one station) are the pool's units_per_station and cost_per_station, unless the pool gives a
``sortie`` (aircraft) or a ``voyage`` (ships): then they follow from the base-station distance
(optimizer.model.sustainment, whose docstring has the formulas), and a triple whose time on
station falls below the floor is not in T. A pool with a refuelled sortie gets, for each
triple inside its unrefuelled reach, a tanker-supported twin (τ_t = 1, longer sorties, fewer
aircraft), so u_t never falls as the base moves away.
    targets (O2) z_k >= target_k;   max-min (O3) m <= z_k for k ∈ F
    A5  Σ_{k∈F} len_k z_k >= a_F Σ_{k∈F} len_k      front miles, a share of the whole front
        Σ_{k∈K_j} w_k z_k >= a_j Σ_{k∈K_j} w_k       air and sea points, j ∈ {air, sea}

Objectives (lexicographic, each later phase keeps the earlier optimum)
    O1  max Σ_k w_k z_k;  then min cost;  then min Σ_t ω_t x_t (order)
    O2  min Σ_t cost_p x_t;  then max Σ_k w_k z_k;  then order
        (min-units: min Σ_t u_p x_t, the smallest force, in place of cost)
    O3  max m;  then max Σ_k w_k z_k;  then min cost;  then order
    The cost tie-break after a coverage phase starts from the cheapest plan that keeps the
    coverage z_k of every sector (z_k >= z_k of the coverage plan): a small MIP whose plan is
    feasible for the tie-break and close to its optimum (optimizer.model.solve).
    The order phase decides between plans tied on every earlier objective: min Σ_t ω_t x_t
    with ω_t a whole number in [2^20, 2^21), a fixed hash of triple t's pool, base and station
    ids. The solvers see this objective exactly (integral: proven with no relative gap, not
    lost below a tolerance), so every backend returns the same minimiser unless two tied
    plans have the same order weight, which generic weights make unlikely (~2^-20 for a pair
    of plans; ranks 1..n would tie on every swap a + d = b + c). Hashing the ids, not the
    triple's position, keeps a tie decided the same way in a variant of the instance (a
    pool removed, a station added): a counterfactual moves only where it must. The weights
    span a factor of two, not a range growing with the number of triples: CBC took 12 s
    instead of 0.6 s for this phase on fine-front with weights up to 1024 n.

Coverage modes: *partial* keeps y continuous; *threshold* makes y binary, except where the
requirement is 1 and every coefficient is a whole number, where y = min(1, Σ x) is integral at
any optimum and is kept continuous (far faster; see ../shared/reference/solver-notes.md).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from optimizer.instance.schema import CoverageMode, Objective, SectorKind, USShareBasis
from optimizer.model.data import ASSET_CLASSES, ModelData
from optimizer.model.tankers import network
from optimizer.model.tankers import rows as tanker_rows
from optimizer.solvers.base import INF, MatrixModel


@dataclass(frozen=True)
class Phase:
    """One objective of the lexicographic sequence, as a minimisation vector."""

    name: str
    c: np.ndarray
    maximise: bool  # report the value with this sense (c is already negated if True)
    # Start from the best plan with the previous phase's coverage of every sector (see
    # optimizer.model.solve): only for the cost tie-break that follows a coverage phase.
    same_coverage_start: bool = False
    # Whole-number objective on integer columns only: solved with no relative gap (the
    # solvers prove it exactly), so that its minimiser is the same from every backend.
    exact: bool = False
    # Part of the tie-break (chooses among the optima of the objective asked for): these
    # phases share the tie-break's time budget (optimizer.model.solve).
    tie_break: bool = False


@dataclass(frozen=True)
class Formulation:
    data: ModelData
    matrix: MatrixModel
    phases: tuple[Phase, ...]
    families: dict[str, tuple[int, int]]  # family -> row range [start, stop)
    n_x: int
    n_y: int
    n_z: int
    has_m: bool
    n_f: int = 0  # fuel flows between receiver groups and tanker orbits (F2), after z

    @property
    def x_slice(self) -> slice:
        return slice(0, self.n_x)

    @property
    def y_slice(self) -> slice:
        return slice(self.n_x, self.n_x + self.n_y)

    @property
    def z_slice(self) -> slice:
        return slice(self.n_x + self.n_y, self.n_x + self.n_y + self.n_z)


class _Rows:
    """Accumulates CSR blocks of rows, labelled by constraint family."""

    def __init__(self, n_cols: int) -> None:
        self.n_cols = n_cols
        self.n_rows = 0
        self.blocks: list[sp.csr_matrix] = []
        self.lo: list[np.ndarray] = []
        self.hi: list[np.ndarray] = []
        self.families: dict[str, tuple[int, int]] = {}

    def add(
        self, family: str, block: sp.spmatrix, lo: np.ndarray | float, hi: np.ndarray | float
    ) -> None:
        block = sp.csr_matrix(block)
        if block.shape[0] == 0:
            return
        start = self.n_rows
        self.blocks.append(block)
        self.lo.append(np.broadcast_to(np.asarray(lo, float), (block.shape[0],)).copy())
        self.hi.append(np.broadcast_to(np.asarray(hi, float), (block.shape[0],)).copy())
        self.n_rows += block.shape[0]
        prev = self.families.get(family)
        self.families[family] = (prev[0] if prev else start, self.n_rows)

    def matrix(self) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
        if not self.blocks:
            return sp.csr_matrix((0, self.n_cols)), np.zeros(0), np.zeros(0)
        # Stacking CSR blocks only concatenates their arrays (no COO round trip, no sort of
        # all coefficients); explicit zeros (e.g. C4 for triples that neither need nor give
        # tanker support) are dropped: solvers ignore them.
        A = sp.vstack(self.blocks, format="csr")
        A.sum_duplicates()
        A.eliminate_zeros()
        return A, np.concatenate(self.lo), np.concatenate(self.hi)


def _coverage_rows(eff: sp.csr_matrix, req: np.ndarray, oy: int, n: int) -> sp.csr_matrix:
    """C5 rows  -Σ e x + req_r y_r: each row of ``eff`` (x columns first) plus its y entry."""
    n_y = eff.shape[0]
    ends = eff.indptr[1:]  # the y entry goes last in its row (its column is past every x)
    indices = np.insert(eff.indices.astype(np.int64), ends, oy + np.arange(n_y))
    data = np.insert(-eff.data, ends, req)
    indptr = eff.indptr.astype(np.int64) + np.arange(n_y + 1)
    return sp.csr_matrix((data, indices, indptr), shape=(n_y, n))


def build(data: ModelData) -> Formulation:
    inst = data.instance
    sc = inst.scenario
    n_x, n_y, n_z = data.n_triples, len(data.r_sector), len(inst.sectors)
    front = np.flatnonzero(data.k_kind == list(SectorKind).index(SectorKind.FRONT))
    has_m = sc.objective is Objective.MAX_MIN and len(front) > 0
    net = network(data)
    at_place = sc.enabled("C4") and bool((net.t_group >= 0).any())  # F2 rows needed
    n_f = net.n_pairs if at_place else 0
    n = n_x + n_y + n_z + n_f + int(has_m)
    ox, oy, oz, of = 0, n_x, n_x + n_y, n_x + n_y + n_z
    om = of + n_f
    rows = _Rows(n)
    tp, tb, ts = data.t_pool, data.t_base, data.t_station
    units = data.t_units  # units one placed station consumes (F1)
    arange_x = np.arange(n_x)

    def by(group: np.ndarray, n_groups: int, values: np.ndarray, mask=None) -> sp.csr_matrix:
        """group x triples matrix with `values` where mask holds."""
        m = np.ones(n_x, bool) if mask is None else mask
        return sp.csr_matrix((values[m], (group[m], arange_x[m] + ox)), shape=(n_groups, n))

    # C1: pool availability, and posts' room
    if sc.enabled("C1"):
        used = np.unique(tp)
        block = by(tp, len(inst.pools), units)[used]
        rows.add("C1", block, -INF, data.p_units[used])
    station_counts = np.bincount(ts, minlength=len(inst.stations))
    shared = np.flatnonzero(station_counts > 1)
    rows.add("C1", by(ts, len(inst.stations), np.ones(n_x))[shared], -INF, data.s_max[shared])

    # C2: base capacity per asset class
    if sc.enabled("C2"):
        n_cls = len(ASSET_CLASSES)
        group = tb * n_cls + data.p_class[tp]
        cap = np.array(
            [b.capacity.get(a, 0.0) for b in inst.bases for a in ASSET_CLASSES], dtype=float
        )
        used = np.unique(group)
        rows.add("C2", by(group, len(cap), units)[used], -INF, cap[used])

    # C4: tanker support, counted (receivers without a receptacle) and at a place (F2)
    counted = data.t_tanker & ~(net.t_group >= 0)
    if sc.enabled("C4") and counted.any():
        coef = counted.astype(float) - data.p_support[tp]
        rows.add("C4", by(np.zeros(n_x, np.int64), 1, coef), -INF, 0.0)
    if at_place:
        f2a, f2b = tanker_rows(net, n_x, of, n)
        rows.add("C4", f2a, -INF, 0.0)
        rows.add("C4", f2b, -INF, 0.0)

    # C5: capability coverage  req_r y_r - Σ e x <= 0
    eff = data.effective_cover()  # R x T
    rows.add("C5", _coverage_rows(eff, data.r_req, oy, n), -INF, 0.0)

    # C6: joint requirement  z_k - y_r <= 0  (off: z_k - mean y <= 0)
    if sc.enabled("C6"):
        r = np.arange(n_y)
        block = sp.csr_matrix(
            (
                np.concatenate([np.ones(n_y), -np.ones(n_y)]),
                (np.concatenate([r, r]), np.concatenate([oz + data.r_sector, oy + r])),
            ),
            shape=(n_y, n),
        )
        rows.add("C6", block, -INF, 0.0)
    else:
        count = np.bincount(data.r_sector, minlength=n_z).astype(float)
        k = np.arange(n_z)
        block = sp.csr_matrix(
            (
                np.concatenate([np.ones(n_z), -1.0 / count[data.r_sector]]),
                (np.concatenate([k, data.r_sector]), np.concatenate([oz + k, oy + np.arange(n_y)])),
            ),
            shape=(n_z, n),
        )
        rows.add("C6", block, -INF, 0.0)

    # C8: US share of units (F4: or of stations, cost or capability)
    if sc.enabled("C8") and sc.us_share_max is not None:
        coef = (data.p_is_us[tp].astype(float) - sc.us_share_max) * us_share_weight(data)
        rows.add("C8", by(np.zeros(n_x, np.int64), 1, coef), -INF, 0.0)

    # C9: escalation-risk budget (the political filters act on T)
    if sc.enabled("C9") and sc.escalation_budget is not None:
        rows.add("C9", by(np.zeros(n_x, np.int64), 1, data.s_risk[ts]), -INF, sc.escalation_budget)

    # C10: Montreux tonnage of non-littoral warships in the Black Sea
    if sc.enabled("C10"):
        littoral = np.array([nat.littoral for nat in inst.nations])
        black_sea = np.array([s.in_black_sea for s in inst.stations])
        mask = (~littoral[data.p_nation[tp]]) & black_sea[ts] & (data.p_ship_t[tp] > 0)
        if mask.any():
            tons = data.t_tonnage
            rows.add(
                "C10", by(np.zeros(n_x, np.int64), 1, tons, mask), -INF, sc.montreux.aggregate_t
            )
            nat = data.p_nation[tp]
            used = np.unique(nat[mask])
            block = by(nat, len(inst.nations), tons, mask)[used]
            rows.add("C10", block, -INF, sc.montreux.per_nation_t)

    # C11: budget
    cost = data.t_cost
    if sc.enabled("C11") and sc.budget is not None:
        rows.add("C11", by(np.zeros(n_x, np.int64), 1, cost), -INF, sc.budget)

    # A5: aggregate targets on totals (each holds under every objective)
    for kind, share in sc.aggregate_targets.items():
        size = aggregate_sizes(data, kind)
        k = np.flatnonzero(size > 0)
        block = sp.csr_matrix((size[k], (np.zeros(len(k), np.int64), oz + k)), shape=(1, n))
        rows.add("A5", block, share * float(size.sum()), INF)

    # O3: m <= z_k on the front
    if has_m:
        f = np.arange(len(front))
        block = sp.csr_matrix(
            (
                np.concatenate([np.ones(len(f)), -np.ones(len(f))]),
                (np.concatenate([f, f]), np.concatenate([np.full(len(f), om), oz + front])),
            ),
            shape=(len(f), n),
        )
        rows.add("O3", block, -INF, 0.0)

    A, row_lo, row_hi = rows.matrix()
    col_lo = np.zeros(n)
    col_hi = np.ones(n)
    col_hi[of : of + n_f] = INF  # fuel flows, t/day (F2)
    pool_cap = np.floor(data.p_units[tp] / units + 1e-9)
    col_hi[ox : ox + n_x] = np.minimum(data.s_max[ts], pool_cap if sc.enabled("C1") else INF)
    col_lo[oz : oz + n_z] = _targets(data) if sc.objective.minimises else 0.0
    integer = np.zeros(n, dtype=bool)
    integer[ox : ox + n_x] = True
    if sc.coverage_mode is CoverageMode.THRESHOLD:
        integer[oy : oy + n_y] = ~_integral_at_optimum(data, eff)

    matrix = MatrixModel(
        c=np.zeros(n),
        A=A,
        row_lo=row_lo,
        row_hi=row_hi,
        col_lo=col_lo,
        col_hi=col_hi,
        integer=integer,
    )
    return Formulation(
        data=data,
        matrix=matrix,
        phases=_phases(data, n, has_m, cost),
        families=rows.families,
        n_x=n_x,
        n_y=n_y,
        n_z=n_z,
        has_m=has_m,
        n_f=n_f,
    )


def aggregate_sizes(data: ModelData, target: str) -> np.ndarray:
    """A5 coefficients per sector: miles of front, or the weighted points of air or sea."""
    if target == "front_miles":
        front = data.k_kind == list(SectorKind).index(SectorKind.FRONT)
        return np.where(front, data.k_length, 0.0)
    kind = data.k_kind == list(SectorKind).index(SectorKind(target))
    return np.where(kind, data.k_weight, 0.0)


def us_share_weight(data: ModelData) -> np.ndarray:
    """F4: what one station of each triple counts toward the US share (C8)."""
    basis = data.instance.scenario.us_share_basis
    if basis is USShareBasis.STATIONS:
        return np.ones(data.n_triples)
    if basis is USShareBasis.COST:
        return data.t_cost
    if basis is USShareBasis.CAPABILITY:
        # the weighted coverage points one station would add, before the cap at 1 (C5)
        points = data.k_weight[data.r_sector] / data.r_req
        return np.asarray(data.effective_cover().T @ points).ravel()
    return data.t_units


def _targets(data: ModelData) -> np.ndarray:
    sc = data.instance.scenario
    return np.array(
        [
            s.target if s.target is not None else sc.targets.get(s.kind, 0.0)
            for s in data.instance.sectors
        ],
        dtype=float,
    )


def _integral_at_optimum(data: ModelData, eff: sp.csr_matrix) -> np.ndarray:
    """Requirement pairs whose y may stay continuous in threshold mode (req 1, integral e)."""
    whole = np.ones(len(data.r_sector), dtype=bool)
    if eff.nnz:
        frac = np.abs(eff.data - np.round(eff.data)) > 1e-9
        bad_rows = np.unique(np.repeat(np.arange(eff.shape[0]), np.diff(eff.indptr))[frac])
        whole[bad_rows] = False
    return whole & (np.abs(data.r_req - 1.0) < 1e-12)


ORDER_SPAN = 1 << 20  # order weights are whole numbers in [ORDER_SPAN, 2 ORDER_SPAN)


def _mix(z: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a fixed, well-spread 64-bit hash of each uint64."""
    with np.errstate(over="ignore"):
        z = z + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def _id_hashes(ids: list[str]) -> np.ndarray:
    return np.array(
        [int.from_bytes(hashlib.blake2b(i.encode(), digest_size=8).digest()) for i in ids],
        dtype=np.uint64,
    )


def order_weights(data: ModelData) -> np.ndarray:
    """ω_t ∈ [S, 2S), S = ORDER_SPAN: a fixed hash of triple t's (pool, base, station) ids."""
    inst = data.instance
    hp = _id_hashes([p.id for p in inst.pools])[data.t_pool]
    hb = _id_hashes([b.id for b in inst.bases])[data.t_base]
    hs = _id_hashes([s.id for s in inst.stations])[data.t_station]
    z = _mix(_mix(_mix(hp) ^ hb) ^ hs)
    return ORDER_SPAN + (z % np.uint64(ORDER_SPAN)).astype(np.float64)


def _phases(data: ModelData, n: int, has_m: bool, cost: np.ndarray) -> tuple[Phase, ...]:
    sc = data.instance.scenario
    n_x, n_y = data.n_triples, len(data.r_sector)
    oz = n_x + n_y
    coverage = np.zeros(n)
    coverage[oz : oz + len(data.k_weight)] = data.k_weight
    cost_vec = np.zeros(n)
    cost_vec[:n_x] = cost
    order = np.zeros(n)
    order[:n_x] = order_weights(data)
    worst = np.zeros(n)
    if has_m:
        worst[n - 1] = 1.0
    cheapest = Phase("cost", cost_vec, False, same_coverage_start=True, tie_break=True)
    last = [Phase("order", order, maximise=False, exact=True, tie_break=True)]
    if sc.objective is Objective.MAX_COVERAGE:
        phases = [Phase("coverage", -coverage, maximise=True)]
        phases += [cheapest, *last] if sc.tie_break else []
    elif sc.objective.minimises:
        if sc.objective is Objective.MIN_UNITS:
            units_vec = np.zeros(n)
            units_vec[:n_x] = data.t_units
            phases = [Phase("units", units_vec, maximise=False)]
        else:
            phases = [Phase("cost", cost_vec, maximise=False)]
        then = Phase("coverage", -coverage, maximise=True, tie_break=True)
        phases += [then, *last] if sc.tie_break else []
    else:
        phases = [Phase("worst-front", -worst, maximise=True), Phase("coverage", -coverage, True)]
        phases += [cheapest, *last] if sc.tie_break else []
    return tuple(phases)
