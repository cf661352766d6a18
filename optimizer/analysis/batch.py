"""Many re-optimised variants of one instance, solved on the sweep executors and remembered.

The analyses of SPEC 9 A4 and 10 D1-D3 (contributions, strikes, Monte Carlo) each need the
optimum of many variants of one instance: a coalition without some nations, a posture with some
bases struck, a draw of the uncertain inputs. Every variant is a set of ``--set``-style
overrides, so it is solved exactly like ``posture solve --set ...`` (the same build, the same
checks, the same lexicographic phases) by :func:`optimizer.analysis.cases.run_case`, in this
process, in local worker processes or on a Dask cluster (:mod:`optimizer.analysis.executors`).

Every variant is solved cold (chains of one case): the result of a variant never depends on
which other variants were in the batch, on the order they ran in, or on the executor, so a
memoised value is the value. Variants are keyed by their sorted override tuple; equal
coalitions or equal strikes reached by different routes are solved once.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from optimizer.analysis.cases import Case, CaseBase, load_base
from optimizer.analysis.executors import execute, make_chains
from optimizer.instance.changes import parse_changes
from optimizer.instance.schema import Instance
from optimizer.solvers import SolverOptions

Overrides = tuple[str, ...]
K = TypeVar("K", bound=Hashable)


def base_of(
    instance: Instance | str | Path,
    solver: str = "highs",
    options: SolverOptions | None = None,
    fixed: tuple[str, ...] | list[str] = (),
) -> CaseBase:
    """The shared base of every variant: an instance file (parsed once) or an in-memory one."""
    if isinstance(instance, Instance):  # the fixed overrides must give a valid instance
        return CaseBase.of(instance, solver, options, parse_changes(fixed))
    return load_base(instance, solver, options, fixed)


@dataclass
class Batch:
    """Solves override sets on the executors; remembers every row it has solved."""

    base: CaseBase
    jobs: int = 1
    scheduler: str | None = None
    rows: dict[Overrides, dict[str, Any]] = field(default_factory=dict)
    plans: dict[Overrides, np.ndarray] = field(default_factory=dict)  # full column vectors
    seconds: float = 0.0  # wall time spent solving

    @property
    def solved(self) -> int:
        return len(self.rows)

    def solve(self, variants: Mapping[K, Iterable[str]]) -> dict[K, dict[str, Any]]:
        """The result row (:data:`optimizer.analysis.cases.METRICS`) of every variant."""
        keys = {key: normalised(overrides) for key, overrides in variants.items()}
        todo = sorted({o for o in keys.values() if o not in self.rows})
        if todo:
            began = time.perf_counter()
            # the override strings are this module's keys; the cases carry typed changes
            cases = [Case(i, parse_changes(overrides)) for i, overrides in enumerate(todo)]
            chains = make_chains(cases, chain_length=1)
            for result in execute(self.base, chains, self.jobs, self.scheduler):
                self.rows[todo[result.index]] = result.row
                if result.plan is not None:
                    self.plans[todo[result.index]] = result.plan.x
            self.seconds += time.perf_counter() - began
        return {key: self.rows[overrides] for key, overrides in keys.items()}

    def one(self, overrides: Iterable[str]) -> dict[str, Any]:
        return self.solve({0: overrides})[0]


def normalised(overrides: Iterable[str]) -> Overrides:
    """One key per distinct variant: overrides of distinct fields commute, so sort them."""
    return tuple(sorted(dict.fromkeys(overrides)))


def proven(row: Mapping[str, Any]) -> bool:
    return row.get("status") == "optimal"
