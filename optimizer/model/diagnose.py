"""Infeasibility explained: which requirements cannot be met, by how much, and which limits bind.

Only coverage targets (O2, ``z_k >= target_k``) can make the model infeasible: without them the
empty plan satisfies every row. Three re-solves of the formulation's :class:`MatrixModel`, all
with HiGHS, explain why (SPEC 3, C1-C11):

1. *Reachable*: the targets become elastic (``z_k + s_k >= target_k``, ``s_k >= 0``) and the total
   shortfall is minimised under every other constraint. The plan found says, per sector and
   capability, the best coverage that the offered forces can reach together, and why (no
   station covers the sector, no admissible pool reaches one, or too few resources).
2. *Limits*: the targets stay hard and the resource rows become elastic (``a.x - e <= b``):
   pool units (C1; the posts' room stays hard), base capacity (C2), tanker support (C4), US
   share (C8), escalation budget (C9), Montreux tonnage (C10), budget (C11). Each violation,
   weighted relative to its limit, is minimised: the rows left violated are limits that must
   rise, and by how much.
3. *Deletion filter*: each enabled family is switched off alone; those that make the instance
   feasible are each, by themselves, enough to explain the infeasibility.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

import numpy as np
import scipy.sparse as sp

from optimizer.instance.schema import CONSTRAINT_FAMILIES, CoverageMode
from optimizer.model.data import ASSET_CLASSES, compile_instance
from optimizer.model.evaluate import coverage
from optimizer.model.formulation import Formulation, aggregate_sizes, build
from optimizer.solvers import SolverOptions, Status, get_backend
from optimizer.solvers.base import INF, MatrixModel

SOFT_FAMILIES = ("C1", "C2", "C4", "C8", "C9", "C10", "C11")
TOL = 1e-6


@dataclass(frozen=True)
class Shortfall:
    """A (sector, capability) requirement that cannot reach its target."""

    sector: str
    kind: str
    capability: str
    target: float
    reachable: float  # best coverage of this capability found with all targets elastic
    shortfall: float
    stations_short: float  # effective stations missing at that plan
    reason: str


@dataclass(frozen=True)
class Violation:
    """A resource row that must be exceeded for every target to be met."""

    family: str
    constraint: str
    limit: float
    needed: float
    excess: float


@dataclass(frozen=True)
class Diagnosis:
    infeasible: bool
    shortfalls: list[Shortfall]
    violations: list[Violation]
    families: list[str]  # constraint families involved (and "targets")
    deletion_filter: dict[str, str]  # family -> "feasible" / "infeasible" / "not tried"
    limits_explain: bool  # False: no amount of resources meets the targets (structural)
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def sufficient_alone(self) -> list[str]:
        return [f for f, outcome in self.deletion_filter.items() if outcome == "feasible"]

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["sufficient_alone"] = self.sufficient_alone
        return out


def diagnose(formulation: Formulation, time_limit: float = 60.0) -> Diagnosis:
    """Explain why ``formulation`` has no feasible plan (see the module docstring)."""
    began = time.perf_counter()
    deadline = began + time_limit
    target = formulation.matrix.col_lo[formulation.z_slice].copy()
    notes: list[str] = []
    counts, status = _reachable(formulation, target, deadline)
    if counts is None:
        notes.append(f"elastic re-solve of the targets ended {status.value}; no plan to report")
        shortfalls: list[Shortfall] = []
    else:
        shortfalls = _shortfalls(formulation, target, counts)
    if counts is not None:
        shortfalls += total_shortfalls(formulation, counts)
    infeasible = bool(shortfalls) or counts is None
    violations, explained = _limits(formulation, deadline) if infeasible else ([], True)
    if infeasible and not explained:
        notes.append("no amount of pool units, base capacity or budget meets every target")
    deletion = _deletion_filter(formulation, deadline) if infeasible else {}
    families = {v.family for v in violations} | {f for f, o in deletion.items() if o == "feasible"}
    families |= {"targets"} if infeasible else set()
    return Diagnosis(
        infeasible=infeasible,
        shortfalls=shortfalls,
        violations=violations,
        families=sorted(families, key=_family_order),
        deletion_filter=deletion,
        limits_explain=explained,
        seconds=time.perf_counter() - began,
        notes=notes,
    )


def _solve(model: MatrixModel, deadline: float):
    remaining = max(0.5, deadline - time.perf_counter())
    return get_backend("highs").solve(model, SolverOptions(time_limit=remaining, gap=1e-6))


def _reachable(f: Formulation, target: np.ndarray, deadline: float):
    """Step 1: minimise the total target shortfall; return the plan's station counts."""
    m = f.matrix
    n_rows, n = m.shape
    k = np.flatnonzero(target > 0)
    oz = f.z_slice.start
    s_cols = sp.identity(len(k), format="csr")
    z_cols = sp.csr_matrix((np.ones(len(k)), (np.arange(len(k)), oz + k)), shape=(len(k), n))
    A = sp.bmat([[m.A, None], [z_cols, s_cols]], format="csr") if len(k) else m.A
    col_lo = np.concatenate([m.col_lo, np.zeros(len(k))])
    col_lo[f.z_slice] = 0.0
    # A5 totals become elastic too: a.z + s >= share x possible, s counted as a share of it
    totals = np.arange(*f.families.get("A5", (0, 0)))
    need = np.maximum(1e-9, m.row_lo[totals])
    T = sp.csr_matrix(
        (np.ones(len(totals)), (totals, np.arange(len(totals)))), shape=(n_rows, len(totals))
    )
    T = sp.vstack([T, sp.csr_matrix((len(k), len(totals)))], format="csr")
    A = sp.hstack([sp.csr_matrix(A, shape=(n_rows + len(k), n + len(k))), T], format="csr")
    elastic = MatrixModel(
        c=np.concatenate([np.zeros(n), np.ones(len(k)), 1.0 / need]),
        A=A,
        row_lo=np.concatenate([m.row_lo, target[k]]),
        row_hi=np.concatenate([m.row_hi, np.full(len(k), INF)]),
        col_lo=np.concatenate([col_lo, np.zeros(len(totals))]),
        col_hi=np.concatenate([m.col_hi, np.full(len(k) + len(totals), INF)]),
        integer=np.concatenate([m.integer, np.zeros(len(k) + len(totals), bool)]),
    )
    outcome = _solve(elastic, deadline)
    if outcome.x is None:
        return None, outcome.status
    return np.round(outcome.x[f.x_slice]), outcome.status


def _shortfalls(f: Formulation, target: np.ndarray, counts: np.ndarray) -> list[Shortfall]:
    data = f.data
    inst = data.instance
    cov = coverage(data, counts)
    eff = data.effective_cover()
    reach = np.diff(eff.indptr) > 0  # some admissible triple covers the pair
    cap_cover = sp.csr_matrix(
        (np.ones(len(data.s_capability)), (data.s_capability, np.arange(len(data.s_capability)))),
        shape=(len(inst.capabilities), len(data.s_capability)),
    )
    stations_cover = (cap_cover @ data.cover).tocsr()  # capability x sector: stations covering
    threshold = inst.scenario.coverage_mode is CoverageMode.THRESHOLD
    out = []
    for r in range(len(data.r_sector)):
        k, c = int(data.r_sector[r]), int(data.r_cap[r])
        short = target[k] - cov.capability[r]
        if target[k] <= 0 or cov.sector[k] >= target[k] - TOL or short <= TOL:
            continue  # no target, the sector meets it, or this capability is not what is short
        need = data.r_req[r] * (1.0 if threshold else target[k])
        if stations_cover[c, k] == 0:
            reason = "no station of this capability covers the sector"
        elif not reach[r]:
            reason = "no admissible pool reaches a station covering it (C3 range, C7, C9, C10)"
        else:
            reason = "the forces offered cannot meet it together with the other targets"
        sector = inst.sectors[k]
        out.append(
            Shortfall(
                sector=sector.id,
                kind=sector.kind.value,
                capability=inst.capabilities[c].id,
                target=float(target[k]),
                reachable=float(cov.capability[r]),
                shortfall=float(short),
                stations_short=float(max(0.0, need - cov.effective[r])),
                reason=reason,
            )
        )
    return out


def total_shortfalls(f: Formulation, counts: np.ndarray) -> list[Shortfall]:
    """A5 totals the elastic plan could not reach (sector ``total``, capability ``all``)."""
    data = f.data
    cov = coverage(data, counts)
    out = []
    for name, share in data.instance.scenario.aggregate_targets.items():
        size = aggregate_sizes(data, name)
        possible = float(size.sum())
        reached = float(size @ cov.sector) / possible if possible > 0 else 0.0
        if reached < share - TOL:
            out.append(
                Shortfall(
                    sector=f"total {name}",
                    kind="front" if name == "front_miles" else name,
                    capability="all",
                    target=share,
                    reachable=reached,
                    shortfall=share - reached,
                    stations_short=float("nan"),
                    reason="aggregate target (A5): the forces offered cannot reach this share"
                    " together with the other targets",
                )
            )
    return out


def _limits(f: Formulation, deadline: float) -> tuple[list[Violation], bool]:
    """Step 2: targets hard, resource rows elastic; the rows left violated and by how much."""
    m = f.matrix
    n_rows, n = m.shape
    labels = row_labels(f)
    soft = np.array(
        sorted(i for i, (_, name) in labels.items() if _is_soft(name, m.row_hi[i])), dtype=np.int64
    )
    weight = 1.0 / np.maximum(1.0, np.abs(m.row_hi[soft]))
    E = sp.csr_matrix(
        (-np.ones(len(soft)), (soft, np.arange(len(soft)))), shape=(n_rows, len(soft))
    )
    col_hi = m.col_hi.copy()
    col_hi[f.x_slice] = f.data.s_max[f.data.t_station]  # pool caps are C1: elastic rows now
    elastic = MatrixModel(
        c=np.concatenate([np.zeros(n), weight]),
        A=sp.hstack([m.A, E], format="csr"),
        row_lo=m.row_lo,
        row_hi=m.row_hi,
        col_lo=np.concatenate([m.col_lo, np.zeros(len(soft))]),
        col_hi=np.concatenate([col_hi, np.full(len(soft), INF)]),
        integer=np.concatenate([m.integer, np.zeros(len(soft), bool)]),
    )
    outcome = _solve(elastic, deadline)
    if outcome.x is None:
        return [], False
    excess = outcome.x[n:]
    out = []
    for j in np.flatnonzero(excess > TOL * np.maximum(1.0, np.abs(m.row_hi[soft]))):
        i = int(soft[j])
        family, label = labels[i]
        limit = float(m.row_hi[i])
        out.append(Violation(family, label, limit, limit + float(excess[j]), float(excess[j])))
    return out, True


def _is_soft(name: str, hi: float) -> bool:
    """Resource rows; a post's room (max_stations) stays hard, as the bounds on x keep it."""
    return bool(np.isfinite(hi)) and not name.startswith("post ")


def row_labels(f: Formulation) -> dict[int, tuple[str, str]]:
    """Row index -> (family, readable name) of the resource rows, as formulation.build adds them."""
    data, inst = f.data, f.data.instance
    sc = inst.scenario
    tp, tb, ts = data.t_pool, data.t_base, data.t_station
    names: dict[str, list[str]] = {}
    c1 = (
        [f"pool {inst.pools[p].id}: units offered" for p in np.unique(tp)]
        if sc.enabled("C1")
        else []
    )
    shared = np.flatnonzero(np.bincount(ts, minlength=len(inst.stations)) > 1)
    names["C1"] = c1 + [f"post {inst.stations[s].id}: max_stations" for s in shared]
    group = np.unique(tb * len(ASSET_CLASSES) + data.p_class[tp])
    names["C2"] = [
        f"base {inst.bases[g // len(ASSET_CLASSES)].id}: "
        f"{ASSET_CLASSES[g % len(ASSET_CLASSES)]} capacity"
        for g in group
    ]
    names["C4"] = ["tanker support: refuelled stations"]
    names["C8"] = ["US share of units (US units above the share)"]
    names["C9"] = ["escalation-risk budget"]
    littoral = np.array([n.littoral for n in inst.nations])
    black_sea = np.array([s.in_black_sea for s in inst.stations])
    mask = ~littoral[data.p_nation[tp]] & black_sea[ts] & (data.p_ship_t[tp] > 0)
    names["C10"] = ["Montreux aggregate tonnage (t)"] + [
        f"Montreux tonnage of {inst.nations[n].id} (t)" for n in np.unique(data.p_nation[tp][mask])
    ]
    names["C11"] = ["budget"]
    out: dict[int, tuple[str, str]] = {}
    for family in SOFT_FAMILIES:
        start, stop = f.families.get(family, (0, 0))
        given = names.get(family, [])
        for offset, i in enumerate(range(start, stop)):
            label = given[offset] if len(given) == stop - start else f"{family} row {offset}"
            out[i] = (family, label)
    return out


def _deletion_filter(f: Formulation, deadline: float) -> dict[str, str]:
    """Step 3: switch each enabled family off alone; is the instance then feasible?"""
    inst = f.data.instance
    out: dict[str, str] = {}
    for family in CONSTRAINT_FAMILIES:
        if family == "C5" or not inst.scenario.enabled(family):
            continue  # C5 defines coverage itself; it cannot be switched off
        if deadline - time.perf_counter() < 0.5:
            out[family] = "not tried"
            continue
        constraints = {**inst.scenario.constraints, family: False}
        variant = build(compile_instance(inst.with_scenario(constraints=constraints)))
        outcome = _solve(variant.matrix.with_objective(np.zeros(variant.matrix.shape[1])), deadline)
        if outcome.x is not None:
            out[family] = "feasible"
        else:
            out[family] = "infeasible" if outcome.status is Status.INFEASIBLE else "not tried"
    return out


def _family_order(name: str) -> tuple[int, str]:
    return (int(name[1:]), name) if name[1:].isdigit() else (99, name)
