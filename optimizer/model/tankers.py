r"""F2 tanker support at a place: which tanker orbits can refuel which receiver stations.

A receiver pool gives its ``receptacle`` (boom or probe) and, in its sortie, the fuel one
aircraft takes per refuelled sortie: a tanker-supported station of triple t then needs
d_t = sorties a day x aar_fuel_t tonnes a day (optimizer.model.sustainment). A tanker pool
gives the ``refuelling`` systems it offers (boom, drogue), the ``offload_t_per_day`` of one of
its orbits and its ``support_radius_km`` (tanker orbit to receiver station; none: unlimited).
A boom receptacle takes fuel from a boom, a probe from a drogue.

Receivers are grouped by (station, receptacle) g, suppliers by (tanker orbit, tanker pool) h;
a pair (g, h) exists when the orbit is within the pool's support radius of the station and the
pool offers the receptacle's system. With a fuel flow f_gh >= 0 (t/day) on each pair:

    F2a  Σ_{t∈g} d_t x_t <= Σ_h f_gh          every group's demand is met
    F2b  Σ_g f_gh <= Σ_{t∈h} o_q x_t           no orbit gives more than its offload

Both are rows of the C4 family (tanker capacity): switching C4 off drops them. Receivers of
pools without a receptacle keep the counted support of C4.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from optimizer.instance.geometry import haversine_km, pairs_within
from optimizer.model.data import ModelData

RECEPTACLES = ("boom", "probe")
SYSTEM_FOR = {"boom": "boom", "probe": "drogue"}


@dataclass(frozen=True)
class TankerNetwork:
    t_group: np.ndarray  # per triple: receiver group, -1 if not an F2 receiver
    t_supplier: np.ndarray  # per triple: supplier, -1 if not an F2 tanker
    g_station: np.ndarray
    h_station: np.ndarray
    h_pool: np.ndarray
    j_group: np.ndarray  # pairs (group, supplier) that may exchange fuel
    j_supplier: np.ndarray
    j_km: np.ndarray  # orbit-to-station distance of each pair
    demand: np.ndarray  # per triple, t/day (0 unless an F2 receiver)
    offload: np.ndarray  # per triple, t/day (0 unless an F2 tanker)

    @property
    def n_groups(self) -> int:
        return len(self.g_station)

    @property
    def n_suppliers(self) -> int:
        return len(self.h_station)

    @property
    def n_pairs(self) -> int:
        return len(self.j_group)


def network(data: ModelData) -> TankerNetwork:
    inst = data.instance
    pools, stations = inst.pools, inst.stations
    tp, ts = data.t_pool, data.t_station
    receptacle = np.array(
        [RECEPTACLES.index(p.receptacle) if p.receptacle else -1 for p in pools], dtype=np.int64
    )
    offload = np.array([p.offload_t_per_day or 0.0 for p in pools], dtype=float)
    receiver = data.t_tanker & (receptacle[tp] >= 0)
    tanker = (offload[tp] > 0) & ~data.t_tanker
    r_key = ts[receiver] * len(RECEPTACLES) + receptacle[tp][receiver]
    g_key, g_of = np.unique(r_key, return_inverse=True)
    t_group = np.full(len(tp), -1, dtype=np.int64)
    t_group[receiver] = g_of
    h_keys = ts[tanker] * len(pools) + tp[tanker]
    h_key, h_of = np.unique(h_keys, return_inverse=True)
    t_supplier = np.full(len(tp), -1, dtype=np.int64)
    t_supplier[tanker] = h_of
    g_station, g_rec = g_key // len(RECEPTACLES), g_key % len(RECEPTACLES)
    h_station, h_pool = h_key // len(pools), h_key % len(pools)
    s_lat = np.array([s.lat for s in stations])
    s_lon = np.array([s.lon for s in stations])
    radius = np.array(
        [np.inf if p.support_radius_km is None else p.support_radius_km for p in pools]
    )[h_pool]
    a, b = pairs_within(
        s_lat[h_station],
        s_lon[h_station],
        np.minimum(radius, 4e4),
        s_lat[g_station],
        s_lon[g_station],
    )
    offers = np.array(
        [[SYSTEM_FOR[r] in p.refuelling for r in RECEPTACLES] for p in pools], dtype=bool
    ).reshape(len(pools), len(RECEPTACLES))
    fits = offers[h_pool[a], g_rec[b]] if len(a) else np.zeros(0, dtype=bool)
    order = np.lexsort((a[fits], b[fits]))  # by group, then supplier
    j_group, j_supplier = b[fits][order], a[fits][order]
    j_km = haversine_km(
        s_lat[g_station[j_group]],
        s_lon[g_station[j_group]],
        s_lat[h_station[j_supplier]],
        s_lon[h_station[j_supplier]],
    )
    return TankerNetwork(
        t_group=t_group,
        t_supplier=t_supplier,
        g_station=g_station,
        h_station=h_station,
        h_pool=h_pool,
        j_group=j_group,
        j_supplier=j_supplier,
        j_km=np.asarray(j_km, dtype=float),
        demand=np.where(receiver, data.t_fuel, 0.0),
        offload=np.where(tanker, offload[tp], 0.0),
    )


def rows(net: TankerNetwork, n_x: int, of: int, n: int) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """F2a and F2b as (groups x n) and (suppliers x n) blocks, both <= 0; flows at ``of``."""
    t = np.arange(n_x)
    rec = net.t_group >= 0
    j = np.arange(net.n_pairs)
    f2a = sp.csr_matrix(
        (
            np.concatenate([net.demand[rec], -np.ones(net.n_pairs)]),
            (np.concatenate([net.t_group[rec], net.j_group]), np.concatenate([t[rec], of + j])),
        ),
        shape=(net.n_groups, n),
    )
    sup = net.t_supplier >= 0
    f2b = sp.csr_matrix(
        (
            np.concatenate([np.ones(net.n_pairs), -net.offload[sup]]),
            (
                np.concatenate([net.j_supplier, net.t_supplier[sup]]),
                np.concatenate([of + j, t[sup]]),
            ),
        ),
        shape=(net.n_suppliers, n),
    )
    return f2a, f2b


def assignment(net: TankerNetwork, counts: np.ndarray) -> np.ndarray | None:
    """Fuel flows (t/day per pair) that support a plan, the nearest orbits first (an LP that
    minimises tonne-km); None when the plan's tankers cannot meet its receivers' demand."""
    if net.n_pairs == 0:
        return np.zeros(0) if float(net.demand @ counts) <= 1e-9 else None
    rec, sup = net.t_group >= 0, net.t_supplier >= 0
    need = np.bincount(net.t_group[rec], (net.demand * counts)[rec], minlength=net.n_groups)
    give = np.bincount(net.t_supplier[sup], (net.offload * counts)[sup], minlength=net.n_suppliers)
    j = np.arange(net.n_pairs)
    a_eq = sp.csr_matrix(
        (np.ones(net.n_pairs), (net.j_group, j)), shape=(net.n_groups, net.n_pairs)
    )
    a_ub = sp.csr_matrix(
        (np.ones(net.n_pairs), (net.j_supplier, j)), shape=(net.n_suppliers, net.n_pairs)
    )
    from scipy.optimize import linprog  # here: scipy.optimize is 0.1-0.5 s of every start-up

    result = linprog(
        net.j_km + 1.0,
        A_ub=a_ub,
        b_ub=give + 1e-9,
        A_eq=a_eq,
        b_eq=need,
        bounds=(0, None),
        method="highs",
    )
    return result.x if result.status == 0 else None


def supporting_orbits(data: ModelData, counts: np.ndarray) -> list[str]:
    """Per triple, the tanker orbits that refuel it in the plan ("A;B"), "" for none."""
    net = network(data)
    out = [""] * data.n_triples
    flows = assignment(net, counts)
    if flows is None or net.n_pairs == 0:
        return out
    ids = [s.id for s in data.instance.stations]
    by_group: dict[int, list[str]] = {}
    for g, h, f in zip(net.j_group, net.j_supplier, flows, strict=True):
        if f > 1e-6:
            orbit = ids[int(net.h_station[h])]
            names = by_group.setdefault(int(g), [])
            if orbit not in names:
                names.append(orbit)
    for t in np.flatnonzero((net.t_group >= 0) & (counts > 0.5)):
        out[t] = ";".join(sorted(by_group.get(int(net.t_group[t]), [])))
    return out
