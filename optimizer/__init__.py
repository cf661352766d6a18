"""posture: the force-posture coverage optimizer, as a library.

    import optimizer as po

    inst = po.load("instances/baseline.yaml")              # any supported format
    no_us = inst.with_scenario(us_participation="none")    # typed, validated, immutable
    res = po.solve(no_us, time_limit=60)                   # a typed Result
    res.status, res.objective, res.best_bound, res.gap, res.front_miles_covered
    res.sectors, res.plan, res.pools, res.bases, res.nations   # pandas DataFrames
    print(res.summary()); res.to_folder("results")         # the run folder of `posture solve`
    po.compare(po.solve(inst), res, labels=["baseline", "no US"])
    po.sweep(inst, vary={"pools.FR-RAFALE.units": range(0, 30, 6)}, jobs=2)
    po.sensitivity(inst); po.verify(inst, res)
    po.contributions(inst); po.attack(inst, bases=2); po.tradeoff(inst); po.montecarlo(inst)
    po.report("results/<run folder>")                      # map, charts, brief.html, GeoJSON

The names below are imported when first used, so ``import optimizer`` stays light (the
command line and the independent checker pay only for what they use). docs/api.md describes
the whole public API.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    __version__: str

    from optimizer.analyses import attack, contributions, montecarlo, tradeoff
    from optimizer.analysis.sensitivity import Sensitivity
    from optimizer.api import compare, load, sensitivity, solve, sweep, verify
    from optimizer.brief import report
    from optimizer.check import CheckReport
    from optimizer.instance.changes import Change
    from optimizer.instance.reader import InstanceError
    from optimizer.instance.schema import Instance
    from optimizer.result import Result
    from optimizer.solvers import SolverOptions, SolverUnavailable, Status

_LAZY = {
    "load": "optimizer.api",
    "solve": "optimizer.api",
    "sensitivity": "optimizer.api",
    "sweep": "optimizer.api",
    "compare": "optimizer.api",
    "verify": "optimizer.api",
    "contributions": "optimizer.analyses",
    "attack": "optimizer.analyses",
    "tradeoff": "optimizer.analyses",
    "montecarlo": "optimizer.analyses",
    "report": "optimizer.brief",
    "Result": "optimizer.result",
    "Instance": "optimizer.instance.schema",
    "Change": "optimizer.instance.changes",
    "InstanceError": "optimizer.instance.reader",
    "Sensitivity": "optimizer.analysis.sensitivity",
    "CheckReport": "optimizer.check",
    "SolverOptions": "optimizer.solvers",
    "SolverUnavailable": "optimizer.solvers",
    "Status": "optimizer.solvers",
}

__all__ = [
    "Change",
    "CheckReport",
    "Instance",
    "InstanceError",
    "Result",
    "Sensitivity",
    "SolverOptions",
    "SolverUnavailable",
    "Status",
    "__version__",
    "attack",
    "compare",
    "contributions",
    "load",
    "montecarlo",
    "report",
    "sensitivity",
    "solve",
    "sweep",
    "tradeoff",
    "verify",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":  # read from the installed metadata when first asked (~0.3 s)
        globals()[name] = _version()
        return globals()[name]
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'optimizer' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("posture")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0.0.0+unknown"
