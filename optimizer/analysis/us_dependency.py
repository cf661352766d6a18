"""A1: what the coalition loses without the US, re-optimised, beside the static loss.

Three answers, all in miles of front and coverage points (the objective's units), never in
ambiguous percentages:

- ``levels``: for each US participation level below the scenario's, the coalition re-plans
  without what that level withdraws (a full re-solve); the loss is the difference of the two
  optima's figures.
- ``static``: the current plan with its US-dependent stations removed and nothing re-planned
  ("same plan without US stations"); an upper bound on what is lost in the short term, and
  sensitive to which of several equal optima the tie-break picked.
- ``by_capability``: one US capability at a time (tankers, AEW, ISR, fighters, escorts, and the
  nations that require a US backstop) withdrawn, everything else kept, re-planned: what no other
  nation backfills.

Every counterfactual is the instance with a typed change (the scenario's US level, or the
withdrawn pools' ``units`` set to 0) solved on the same path and options as the plan itself,
for the primary objective only (no tie-break phase: on the baseline 3.8 s instead of 9.9 s).
The objective lost is exact; the split into miles and points is that of the optimum the solver
returns (deterministic), which can differ from a tie-broken solve at that level when several
optima split the objective differently between front, air and sea.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from optimizer.instance.schema import Instance, Pool, USLevel
from optimizer.model.data import ModelData, compile_instance
from optimizer.model.evaluate import coverage
from optimizer.model.solve import Solution, solve
from optimizer.results.dependency import FIGURES, plan_figures
from optimizer.solvers import SolverOptions

#: How a withdrawn capability is named to a planner.
CAPABILITY_NAMES = {
    "tanker": "tankers",
    "aew": "AEW",
    "isr": "ISR",
    "air_patrol": "fighters",
    "naval_escort": "escorts",
    "training": "trainers",
}
BACKSTOP = "backstop"
NO_US_NOTE = "no US or US-dependent forces in this instance: nothing to withdraw"

Solver = Callable[[Instance], "Solution | None"]  # None: not run (no time left)


def solution_figures(solution: Solution | None) -> dict[str, Any]:
    if solution is None:
        return {"status": "not run (time limit)"} | dict.fromkeys(FIGURES)
    out: dict[str, Any] = {"status": solution.status.value}
    if solution.x is None:
        return out | dict.fromkeys(FIGURES)
    counts = np.round(solution.x[solution.formulation.x_slice])
    return out | plan_figures(solution.data, coverage(solution.data, counts), solution.objective)


def withdrawals(data: ModelData) -> dict[str, list[int]]:
    """Pools withdrawn per US capability (US pools usable now) and for the backstop nations."""
    instance = data.instance
    groups: dict[str, list[int]] = {}
    for i, pool in enumerate(instance.pools):
        if not data.p_usable[i] or not data.p_us_dependent[i] or pool.units == 0:
            continue
        key = pool.capability if data.p_is_us[i] else BACKSTOP
        groups.setdefault(key, []).append(i)
    order = [*CAPABILITY_NAMES, BACKSTOP]
    return {
        k: groups[k]
        for k in sorted(groups, key=lambda k: (order.index(k) if k in order else 99, k))
    }


def without_pools(instance: Instance, withdrawn: list[int]) -> Instance:
    pools: list[Pool] = [
        p.model_copy(update={"units": 0}) if i in withdrawn else p
        for i, p in enumerate(instance.pools)
    ]
    return instance.replace(pools=pools)


def counterfactuals(
    instance: Instance, base: dict[str, Any], run: Solver, data: ModelData | None = None
) -> dict[str, Any]:
    """Re-optimised losses per lower US level and per withdrawn US capability.

    ``base`` holds the plan's own figures (:func:`plan_figures`); ``run`` solves an instance on
    the caller's path and options; ``data``: the plan's compiled instance, if at hand.
    """
    data = data or compile_instance(instance)
    if not data.p_us_dependent.any():
        # C7 is the only place the US level enters the model: with no US pool and no pool
        # needing a US level, every lower level builds the same model and loses nothing.
        # Said, not solved (an MCLP file has no US: this saved 3 re-solves, 9 s on SJC818).
        return {"levels": [], "by_capability": [], "note": NO_US_NOTE}
    current = instance.scenario.us_participation
    levels = []
    for level in sorted(USLevel, key=lambda lv: lv.rank, reverse=True):
        if level.rank >= current.rank:
            continue
        figures = solution_figures(run(instance.with_scenario(us_participation=level.value)))
        levels.append({"level": level.value} | figures | _losses(base, figures))
    by_capability = []
    for key, pools in withdrawals(data).items():
        figures = solution_figures(run(without_pools(instance, pools)))
        by_capability.append(
            {
                "capability": key,
                "name": CAPABILITY_NAMES.get(key, key) if key != BACKSTOP else "backstop nations",
                "pools": [instance.pools[i].id for i in pools],
            }
            | figures
            | _losses(base, figures)
        )
    return {"levels": levels, "by_capability": by_capability}


def _losses(base: dict[str, Any], figures: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in FIGURES:
        name = f"{key.removesuffix('_covered')}_lost"
        a, b = base.get(key), figures.get(key)
        out[name] = None if a is None or b is None else float(a) - float(b)
    return out


def solver_on(solver: str, options: SolverOptions) -> Solver:
    """Counterfactuals solved with the plan's backend and options, primary objective only;
    with a time limit, they share one budget of that length (those past it are not run)."""
    limit = options.time_limit
    deadline = None if limit is None else time.perf_counter() + limit

    def run(instance: Instance) -> Solution | None:
        opts = options
        if deadline is not None:
            remaining = deadline - time.perf_counter()
            if remaining <= 0.05:
                return None
            opts = replace(options, time_limit=remaining)
        return solve(instance.with_scenario(tie_break=False), solver, opts)

    return run
