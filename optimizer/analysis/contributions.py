r"""What each nation brings (SPEC 9 A4): leave-one-out, Shapley values, the worst withdrawals.

The coalition game. The players are the nations that can contribute: those with at least one
admissible triple (a pool that can place a station somewhere) in the instance as given, and
the US when some other nation's pools need the US backstop. Nations with nothing usable are
null players: they get 0 and are left out of the enumeration.

    v(S) = the re-optimised primary objective (posture solve's, with every constraint)
           when only the nations of S offer forces: the pools of every other player have
           0 units.

Two rules decide what "only S" means:

* US backstop (``backstop="us"``, the default): the backstop is the US's, so a coalition
  without the US has ``us_participation: none`` and every pool that needs any US participation
  (the backstop nations' pools, pools with a ``min_us_level``) is out. Part of what the US is
  worth is what it unlocks. With ``backstop="scenario"`` the scenario's US level holds whatever
  the coalition: only the US's own pools leave with it.
* C8 (the US share of units at most ς) counts the units the coalition places: without the US
  it binds nothing; with fewer other nations it binds harder (fewer US units may be placed),
  which is part of what those nations contribute.

Coalitions that leave the same pools usable are one variant and are solved once (e.g. without
the US, any set of backstop nations is the same as none of them).

The same game is also played on the front miles covered, f(S): the front miles of the plan
posture solve returns for S (the primary objective, then the cheapest such plan, then a fixed
order), so f is defined whichever of several optimal plans exist.

Shapley value (Shapley 1953)
    φ_i = Σ_{S ⊆ N\{i}} |S|! (n - |S| - 1)! / n! · (v(S ∪ {i}) - v(S))
computed exactly over all 2^n coalitions when n <= ``exact_max``; otherwise estimated from m
random orders of the players (Castro, Gómez and Tejada, Computers & OR 36(5), 2009): φ_i is the
mean of i's marginal contribution over the orders, with its standard error s/sqrt(m). Both
add up exactly: Σ_i φ_i = v(N) - v(∅) (each order telescopes).

Leave-one-out: v(N) - v(N \ {i}) per nation and the same per pool (that pool's units 0, the
US level unchanged), each a re-optimised solve.

Worst withdrawals: for k = 1..K, the k nations whose joint withdrawal lowers v the most,
max_{|T| = k} v(N) - v(N \ T), found exactly by the attacker-defender cutting planes of
:mod:`optimizer.analysis.interdiction` (a nation is a target; a triple needs its nation, and the
US as well when the pool needs the backstop), or by enumerating every k-set.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from optimizer.analysis.batch import Batch, proven
from optimizer.analysis.cases import CaseBase
from optimizer.analysis.interdiction import (
    CutBuilder,
    Master,
    Solved,
    Targets,
    Worst,
    cutting_plane_worst,
    enumerate_worst,
)
from optimizer.instance.schema import Instance, Objective
from optimizer.model.data import ModelData, compile_instance

EXACT_MAX = 12
BACKSTOP_RULES = ("us", "scenario")


@dataclass(frozen=True)
class Game:
    """The players and how a coalition becomes an instance variant."""

    instance: Instance
    data: ModelData
    players: tuple[str, ...]
    backstop: str  # "us" or "scenario"
    pools_of: dict[str, tuple[str, ...]]  # player -> its pools with admissible triples
    independent: frozenset[str]  # players usable without any US participation

    @classmethod
    def of(cls, instance: Instance, backstop: str = "us") -> Game:
        if backstop not in BACKSTOP_RULES:
            raise ValueError(f"backstop must be one of {BACKSTOP_RULES}")
        data = compile_instance(instance)
        us = instance.scenario.us_nation
        placed = np.unique(data.t_pool)
        pools_of: dict[str, list[str]] = {}
        independent: set[str] = set()
        for p in placed:
            nation = instance.pools[p].nation
            pools_of.setdefault(nation, []).append(instance.pools[p].id)
            if not data.p_us_dependent[p]:
                independent.add(nation)
        players = [n.id for n in instance.nations if n.id in pools_of]
        needs_us = any(data.p_us_dependent[p] and instance.pools[p].nation != us for p in placed)
        if backstop == "us" and needs_us and us not in players and _has_nation(instance, us):
            players.append(us)  # worth what it unlocks even with no pool of its own
        return cls(
            instance,
            data,
            tuple(players),
            backstop,
            {k: tuple(v) for k, v in pools_of.items()},
            frozenset(independent),
        )

    @property
    def us(self) -> str:
        return self.instance.scenario.us_nation

    def effective(self, members: Iterable[str]) -> frozenset[str]:
        """The players whose pools are usable in coalition ``members`` (memo key)."""
        members = frozenset(members) & set(self.players)
        if self.backstop == "us" and self.us in self.players and self.us not in members:
            members = members & self.independent
        return members

    def overrides(self, members: Iterable[str]) -> tuple[str, ...]:
        kept = self.effective(members)
        out = [
            f"pools.{pid}.units=0"
            for nation in self.players
            if nation not in kept
            for pid in self.pools_of.get(nation, ())
        ]
        if self.backstop == "us" and self.us in self.players and self.us not in kept:
            out.append("scenario.us_participation=none")
        return tuple(out)

    def targets(self) -> Targets:
        """Nations as interdiction targets (for the worst withdrawals)."""
        data, inst = self.data, self.instance
        column = {nid: j for j, nid in enumerate(self.players)}
        rows, cols = [], []
        for t, p in enumerate(data.t_pool):
            nation = inst.pools[p].nation
            rows.append(t)
            cols.append(column[nation])
            backstopped = self.backstop == "us" and self.us in column and nation != self.us
            if backstopped and data.p_us_dependent[p]:
                rows.append(t)
                cols.append(column[self.us])
        needs = sp.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(data.n_triples, len(self.players))
        )
        needs.data[:] = 1.0

        def overrides(counts: dict[str, int] | Any) -> tuple[str, ...]:
            removed = {nid for nid, n in dict(counts).items() if n > 0}
            return self.overrides(set(self.players) - removed)

        return Targets(
            "nations",
            self.players,
            np.ones(len(self.players), dtype=np.int64),
            needs,
            overrides,
        )


def _has_nation(instance: Instance, nid: str) -> bool:
    return any(n.id == nid for n in instance.nations)


@dataclass
class Contributions:
    v_all: float
    v_none: float
    front_all: float
    front_none: float
    players: tuple[str, ...]
    shapley: pd.DataFrame  # nation, value, stderr, front_miles, front_miles_stderr
    exact: bool
    permutations: int | None
    seed: int
    leave_one_out: pd.DataFrame  # kind (nation/pool), id, nation, objective, loss, ...
    worst: pd.DataFrame  # k, removed, objective, loss, front_miles_covered, status, ...
    backstop: str
    solves: int
    unproven: int  # solves not proven optimal (their values are the plans' values)
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        from optimizer.analysis.tables import records

        return {
            "kind": "posture-contributions",
            "v_all": self.v_all,
            "v_none": self.v_none,
            "front_miles_all": self.front_all,
            "front_miles_none": self.front_none,
            "players": list(self.players),
            "method": "exact" if self.exact else "sampled permutations",
            "permutations": self.permutations,
            "seed": self.seed,
            "backstop": self.backstop,
            "shapley_sum": float(self.shapley["value"].sum()),
            "shapley": records(self.shapley),
            "leave_one_out": records(self.leave_one_out),
            "worst": records(self.worst),
            "solves": self.solves,
            "unproven_solves": self.unproven,
            "seconds": self.seconds,
        }


def shapley_exact(game: Game, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
    """φ of v and of f over all 2^n coalitions."""
    players = game.players
    n = len(players)
    coalitions = [frozenset(c) for r in range(n + 1) for c in itertools.combinations(players, r)]
    rows = batch.solve({c: game.overrides(c) for c in coalitions})
    value = {c: _number(rows[c], "objective") for c in coalitions}
    front = {c: _number(rows[c], "front_miles_covered") for c in coalitions}
    phi = np.zeros(n)
    phi_f = np.zeros(n)
    for c in coalitions:
        s = len(c)
        for i, nid in enumerate(players):
            if nid in c:
                continue
            weight = math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n)
            joined = c | {nid}
            phi[i] += weight * (value[joined] - value[c])
            phi_f[i] += weight * (front[joined] - front[c])
    return phi, phi_f


def shapley_sampled(
    game: Game, batch: Batch, permutations: int, seed: int
) -> tuple[np.ndarray, ...]:
    """Mean marginal contributions over random orders, and their standard errors."""
    rng = np.random.default_rng(seed)
    n = len(game.players)
    orders = [rng.permutation(n) for _ in range(permutations)]
    prefixes: dict[frozenset[str], tuple[str, ...]] = {}
    for order in orders:
        for j in range(n + 1):
            prefix = frozenset(game.players[i] for i in order[:j])
            prefixes.setdefault(prefix, game.overrides(prefix))
    rows = batch.solve(prefixes)
    marginal = np.zeros((permutations, n))
    marginal_f = np.zeros((permutations, n))
    for m, order in enumerate(orders):
        members: frozenset[str] = frozenset()
        for i in order:
            joined = members | {game.players[i]}
            for out, key in ((marginal, "objective"), (marginal_f, "front_miles_covered")):
                out[m, i] = _number(rows[joined], key) - _number(rows[members], key)
            members = joined
    scale = math.sqrt(permutations)
    ddof = 1 if permutations > 1 else 0
    return (
        marginal.mean(axis=0),
        marginal.std(axis=0, ddof=ddof) / scale,
        marginal_f.mean(axis=0),
        marginal_f.std(axis=0, ddof=ddof) / scale,
    )


def _number(row: dict[str, Any], key: str) -> float:
    value = row.get(key)
    if value is None:
        raise RuntimeError(
            f"a coalition could not be solved ({row.get('status')}: {row.get('message')})"
        )
    return float(value)


def contributions(
    base: CaseBase,
    *,
    backstop: str = "us",
    exact_max: int = EXACT_MAX,
    permutations: int = 50,
    seed: int = 0,
    worst_k: int = 3,
    method: str = "cutting-planes",
    jobs: int = 1,
    scheduler: str | None = None,
) -> Contributions:
    """Leave-one-out, Shapley values and the worst k-withdrawals of ``base``'s instance."""
    instance = base.instance()
    if instance.scenario.objective is Objective.MIN_COST:
        raise ValueError(
            "contributions need a coverage objective (max-coverage or max-min); "
            "min-cost has no value for a coalition that cannot meet the targets"
        )
    game = Game.of(instance, backstop)
    batch = Batch(base, jobs, scheduler)
    seconds: dict[str, float] = {}
    began = time.perf_counter()
    everyone = frozenset(game.players)
    ends = batch.solve({"all": game.overrides(everyone), "none": game.overrides(())})
    v_all, v_none = _number(ends["all"], "objective"), _number(ends["none"], "objective")
    f_all = _number(ends["all"], "front_miles_covered")
    f_none = _number(ends["none"], "front_miles_covered")

    # leave-one-out, by nation and by pool
    variants: dict[tuple[str, str], tuple[str, ...]] = {}
    for nid in game.players:
        variants[("nation", nid)] = game.overrides(everyone - {nid})
    for nid in game.players:
        for pid in game.pools_of.get(nid, ()):
            variants[("pool", pid)] = (*game.overrides(everyone), f"pools.{pid}.units=0")
    rows = batch.solve(variants)
    nation_of = {p.id: p.nation for p in instance.pools}
    loo = pd.DataFrame(
        [
            {
                "kind": kind,
                "id": ident,
                "nation": ident if kind == "nation" else nation_of[ident],
                "objective": row.get("objective"),
                "loss": None if row.get("objective") is None else v_all - row["objective"],
                "front_miles_covered": row.get("front_miles_covered"),
                "front_miles_lost": None
                if row.get("front_miles_covered") is None
                else f_all - row["front_miles_covered"],
                "air_coverage": row.get("air_coverage"),
                "sea_coverage": row.get("sea_coverage"),
                "status": row.get("status"),
            }
            for (kind, ident), row in rows.items()
        ]
    )
    seconds["leave_one_out"] = time.perf_counter() - began

    began = time.perf_counter()
    exact = len(game.players) <= exact_max
    if exact:
        phi, phi_f = shapley_exact(game, batch)
        se = se_f = np.zeros(len(phi))
    else:
        phi, se, phi_f, se_f = shapley_sampled(game, batch, permutations, seed)
    shapley = pd.DataFrame(
        {
            "nation": list(game.players),
            "value": phi,
            "stderr": se,
            "front_miles": phi_f,
            "front_miles_stderr": se_f,
        }
    )
    nulls = [n.id for n in instance.nations if n.id not in game.players]
    if nulls:
        zeros = pd.DataFrame(
            {
                "nation": nulls,
                "value": 0.0,
                "stderr": 0.0,
                "front_miles": 0.0,
                "front_miles_stderr": 0.0,
            }
        )
        shapley = pd.concat([shapley, zeros], ignore_index=True)
    shapley = shapley.sort_values(["value", "nation"], ascending=[False, True], kind="stable")
    shapley = shapley.reset_index(drop=True)
    seconds["shapley"] = time.perf_counter() - began

    began = time.perf_counter()
    worst = worst_withdrawals(game, batch, min(worst_k, len(game.players)), method, v_all, f_all)
    seconds["worst"] = time.perf_counter() - began
    unproven = sum(not proven(row) for row in batch.rows.values())
    return Contributions(
        v_all,
        v_none,
        f_all,
        f_none,
        game.players,
        shapley,
        exact,
        None if exact else permutations,
        seed,
        loo,
        worst,
        backstop,
        batch.solved,
        unproven,
        seconds,
    )


def worst_withdrawals(
    game: Game, batch: Batch, k_max: int, method: str, v_all: float, f_all: float
) -> pd.DataFrame:
    targets = game.targets()
    solved = Solved(batch, targets, game.data)
    use_cuts = method == "cutting-planes" and (
        game.instance.scenario.objective is Objective.MAX_COVERAGE
    )
    found: list[Worst] = []
    if use_cuts:
        builder = CutBuilder(game.data, targets)
        master = Master(targets, game.data.k_weight)
        solved.evaluate([()])  # the full coalition's plan: the first cut
        for k in range(1, k_max + 1):
            found.append(cutting_plane_worst(solved, master, builder, k, batch.base.options))
    else:
        found = [enumerate_worst(solved, k) for k in range(1, k_max + 1)]
    return pd.DataFrame(
        [
            {
                "k": w.k,
                "removed": " ".join(nid for nid, _ in w.removal),
                "objective": w.objective,
                "loss": None if w.objective is None else v_all - w.objective,
                "front_miles_covered": w.row.get("front_miles_covered"),
                "front_miles_lost": None
                if w.row.get("front_miles_covered") is None
                else f_all - w.row["front_miles_covered"],
                "bound": w.bound,
                "status": w.status,
                "method": w.method,
                "seconds": w.seconds,
                "evaluated": w.evaluated,
            }
            for w in found
        ]
    )


__all__ = ["Contributions", "Game", "contributions", "shapley_exact", "shapley_sampled"]
