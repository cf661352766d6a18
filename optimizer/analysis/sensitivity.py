"""The standard sensitivity tables (SPEC 5, S1-S4), each built from re-solved cases.

Every table cell is a case (the base instance plus typed changes, :mod:`optimizer.analysis.cases`).
Cases that give the same validated instance (e.g. ``straits=montreux`` when the base already
says so, or a 100 % force level) are solved once. All cases run through one executor, so the
tables can be computed in local processes or on a Dask cluster like a sweep.

- S1: each US participation level;
- S2: per pool, objective and front-mile changes for +/- one unit and +/- one station's worth
  of units (the fewest units one station of the pool takes at any admissible post, rounded up:
  :mod:`optimizer.analysis.station_cost`) and without the whole pool, re-solved; LP-relaxation
  duals beside (labelled); and per nation, the loss without all its pools (re-solved);
- S3: the straits policy and each ``--switch PATH=VALUE``, against the baseline;
- S4: a tornado table over the instance's uncertainty ranges (A7; or the ``PATH=LOW,HIGH``
  fields asked for), ranked by swing, and coverage versus force level: every pool's whole
  stations (its units over the fewest units one of its stations takes) scaled from 0 to
  150 %; where the curve is flat, what caps it
  (:mod:`optimizer.analysis.plateau`, from a re-solve of that point).
"""

from __future__ import annotations

import contextlib
import sys
import time
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
from tqdm import tqdm

from optimizer.analysis.cases import Case, CaseBase
from optimizer.analysis.executors import DEFAULT_CHAIN, execute, make_chains
from optimizer.analysis.params import format_number
from optimizer.analysis.plateau import what_caps
from optimizer.analysis.sensitivity_tables import (
    LEVELS,
    STEPS,
    STRAITS,
    Assembler,
    force_scales,
    station_step,
    station_units,
)
from optimizer.analysis.station_cost import cheapest_station_units
from optimizer.instance.changes import Change
from optimizer.instance.reader import content_hash
from optimizer.instance.schema import Instance

TABLES = ("s1", "s2", "s3", "s4")


@dataclass(frozen=True)
class Request:
    """Which tables, which switches (S3), which tornado fields and force steps (S4)."""

    tables: tuple[str, ...] = TABLES
    switches: tuple[str, ...] = ()
    # (path, low, high); None: every uncertainty range of the instance (A7)
    tornado: tuple[tuple[str, str, str], ...] | None = None
    force_steps: int = 6

    def as_dict(self) -> dict[str, Any]:
        return {
            "tables": list(self.tables),
            "switches": list(self.switches),
            "tornado": [{"path": p, "low": lo, "high": hi} for p, lo, hi in self.tornado or ()],
            "force_steps": self.force_steps,
        }


@dataclass
class Planner:
    """The distinct cases behind the tables, and which table cell each one answers."""

    base: CaseBase
    cases: list[Case] = field(default_factory=list)
    tags: dict[tuple[Any, ...], int] = field(default_factory=dict)
    _by_hash: dict[str, int] = field(default_factory=dict)

    def add(self, tag: tuple[Any, ...], changes: tuple[Change, ...]) -> Instance:
        """Register a cell; raises InstanceError (exit 2) if the changes are invalid."""
        instance = self.base.instance(changes)
        key = content_hash(instance)
        if key not in self._by_hash:
            self._by_hash[key] = len(self.cases)
            label = "; ".join(str(change) for change in changes) or "baseline"
            self.cases.append(Case(len(self.cases), changes, label))
        self.tags[tag] = self._by_hash[key]
        return instance


def plan(base: CaseBase, request: Request) -> tuple[Planner, Instance]:
    planner = Planner(base)
    instance = planner.add(("baseline",), ())
    per_station = cheapest_station_units(instance)
    if "s1" in request.tables:
        for level in LEVELS:
            planner.add(("s1", level), (_scenario("us_participation", level),))
    if "s2" in request.tables:
        for i, pool in enumerate(instance.pools):
            step = station_step(per_station[i])
            for name, delta in STEPS:
                delta = delta or (step if name.startswith("plus") else -step)
                planner.add(("s2", pool.id, name), (_units(i, max(0, pool.units + delta)),))
            planner.add(("s2", pool.id, "without_pool"), (_units(i, 0),))
        for nation in instance.nations:
            withdrawn = tuple(
                _units(i, 0)
                for i, pool in enumerate(instance.pools)
                if pool.nation == nation.id and pool.units > 0
            )
            if withdrawn:
                planner.add(("s2n", nation.id), withdrawn)
    if "s3" in request.tables:
        for straits in STRAITS:
            change = _scenario("straits", straits)
            planner.add(("s3", str(change)), (change,))
        for item in request.switches:  # PATH=VALUE as the user wrote it
            planner.add(("s3", item), (Change.parse(item),))
    if "s4" in request.tables:
        for path, low, high in request.tornado or ():
            planner.add(("tornado", path, "low"), (Change.parse(f"{path}={low}"),))
            planner.add(("tornado", path, "high"), (Change.parse(f"{path}={high}"),))
        for k, scale in enumerate(force_scales(request.force_steps)):
            changes = tuple(
                _units(i, station_units(p, per_station[i], scale))
                for i, p in enumerate(instance.pools)
            )
            planner.add(("force", k), changes)
    return planner, instance


def uncertainty_fields(instance: Instance) -> tuple[tuple[str, str, str], ...]:
    """The tornado rows of the instance's uncertainty ranges (A7), as ``--tornado`` gives them."""
    return tuple(
        (path, format_number(band.low), format_number(band.high))
        for path, band in instance.uncertainty.items()
    )


def name_caps(base: CaseBase, planner: Planner, curve: pd.DataFrame) -> pd.DataFrame:
    """Fill ``capped_by`` where the force curve is flat, from a re-solve of that point."""
    from optimizer.api import solve_instance  # the one checked solve path

    curve = curve.copy()
    for row in curve.index[curve["plateau"]]:
        case = planner.cases[planner.tags[("force", int(row))]]
        instance = base.instance(case.changes)
        result = solve_instance(instance, base.solver, base.options, diagnose_infeasible=False)
        curve.loc[row, "capped_by"] = what_caps(result.solution)
    return curve


def _scenario(name: str, value: object) -> Change:
    return Change(("scenario", name), value)


def _units(position: int, units: int) -> Change:
    """A pool's units, the pool addressed by position (as the recorded cases show it)."""
    return Change(("pools", str(position), "units"), units)


@dataclass(frozen=True)
class Sensitivity:
    instance: Instance
    baseline: dict[str, Any]
    tables: dict[str, Any]  # name -> DataFrame
    record: dict[str, Any]


def analyse(
    base: CaseBase,
    request: Request,
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    chain_length: int = DEFAULT_CHAIN,
    progress: bool = False,
) -> Sensitivity:
    """Solve every distinct case and assemble the requested tables."""
    began = time.perf_counter()
    if request.tornado is None:
        request = replace(request, tornado=uncertainty_fields(base.instance()))
    planner, instance = plan(base, request)
    rows: dict[int, dict[str, Any]] = {}
    chains = make_chains(planner.cases, None, chain_length)
    bar = tqdm(
        total=len(planner.cases),
        unit="case",
        desc="sensitivity",
        disable=not progress,
        file=sys.stderr,
        dynamic_ncols=True,
    )
    with bar, contextlib.closing(execute(base, chains, jobs, scheduler)) as results:
        for result in results:
            rows[result.index] = result.row
            bar.update(1)
    assembler = Assembler(instance, planner.tags, rows)
    tables = assembler.tables(request, force_scales(request.force_steps))
    if "s4_force_curve" in tables:
        tables["s4_force_curve"] = name_caps(base, planner, tables["s4_force_curve"])
    record = {
        "kind": "posture-sensitivity",
        "instance": instance.name,
        "instance_file": str(base.path) if base.path is not None else None,
        "instance_hash": content_hash(instance),
        "fixed": [str(change) for change in base.fixed],
        "objective_kind": instance.scenario.objective.value,
        "solver": base.solver,
        "options": base.options.as_dict(),
        "request": request.as_dict(),
        "cases_solved": len(planner.cases),
        "cases": [
            {
                "case": c.index,
                "overrides": [str(change) for change in c.changes],
                "status": rows[c.index]["status"],
            }
            for c in planner.cases
        ],
        "executor": f"dask {scheduler}" if scheduler else f"{max(1, jobs)} process(es)",
        "chain_length": chain_length,
        "seconds": time.perf_counter() - began,
        "force_scales": [format_number(s) for s in force_scales(request.force_steps)],
    }
    return Sensitivity(instance, rows[planner.tags[("baseline",)]], tables, record)
