"""A solve's report: the run record (R4), the headline figures (R1, R2) and the tables (R3)."""

from __future__ import annotations

import platform
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import optimizer
from optimizer.instance.reader import content_hash
from optimizer.model.evaluate import objective_value
from optimizer.model.solve import Solution
from optimizer.results import metrics
from optimizer.results.by_kind import aggregate_targets, points_by_kind
from optimizer.results.dependency import static_loss

JSON_KEYS = (
    "status",
    "objective",
    "best_bound",
    "gap",
    "solver",
    "front_miles_total",
    "front_miles_covered",
    "longest_uncovered_miles",
    "air_coverage",
    "sea_coverage",
)


@dataclass(frozen=True)
class Report:
    record: dict[str, object]  # R4: how the result was obtained
    summary: dict[str, object]  # R1, R2 and the US dependency
    tables: dict[str, pd.DataFrame]  # R3

    def json_view(self, run_dir: str | Path | None) -> dict[str, object]:
        """The one JSON object ``solve --json`` prints."""
        out = {key: self.record.get(key, self.summary.get(key)) for key in JSON_KEYS}
        out.update({k: v for k, v in self.summary.items() if k not in out})
        out["run_dir"] = str(run_dir) if run_dir is not None else None
        for key in ("instance", "instance_hash", "objective_kind", "solve_seconds"):
            out[key] = self.record.get(key)
        if "diagnosis" in self.record:  # infeasible: why (optimizer.model.diagnose)
            out["diagnosis"] = self.record["diagnosis"]
        return out


def plan_counts(solution: Solution) -> np.ndarray:
    """Stations placed per admissible triple (zeros when there is no plan)."""
    if solution.x is None:
        return np.zeros(solution.data.n_triples)
    return np.round(solution.x[solution.formulation.x_slice])


def make_report(
    solution: Solution,
    instance_file: str | Path | None = None,
    overrides: Sequence[str] = (),
    extra: dict[str, object] | None = None,
    us_counterfactual: dict[str, object] | None = None,
) -> Report:
    """The run record, summary figures and tables of a solution.

    ``us_counterfactual`` (optimizer.analysis.us_dependency) adds the re-optimised US losses
    beside the static one; without it ``us_dependency.levels`` and ``.by_capability`` are null.
    """
    data = solution.data
    inst = solution.instance
    sc = inst.scenario
    record: dict[str, object] = {
        "status": solution.status.value,
        "proven_optimal": solution.status.value == "optimal",
        "objective": solution.objective,
        "best_bound": solution.best_bound,
        "gap": solution.gap,
        "objective_kind": sc.objective.value,
        "coverage_mode": sc.coverage_mode.value,
        "solver": solution.solver,
        "solver_version": solution.solver_version,
        "options": solution.options.as_dict(),
        "build_seconds": solution.build_seconds,
        "solve_seconds": solution.solve_seconds,
        "phases": solution.phases,
        "phases_planned": [phase.name for phase in solution.formulation.phases],
        "warm_started": solution.warm_started,
        "race": list(solution.race) or None,  # --solver portfolio: the backends raced
        "message": solution.message,
        "instance": inst.name,
        "instance_file": str(instance_file) if instance_file is not None else None,
        "instance_hash": content_hash(inst),
        "overrides": list(overrides),
        "scenario": sc.model_dump(mode="json"),
        "model_size": {
            "variables": int(solution.formulation.matrix.shape[1]),
            "rows": int(solution.formulation.matrix.shape[0]),
            "nonzeros": int(solution.formulation.matrix.A.nnz),
            "triples": int(data.n_triples),
        },
        "seed": solution.options.seed,
        "threads": solution.options.threads,
        "package_version": optimizer.__version__,
        "dependencies": _versions(),
        "reproduce": _command(solution, instance_file, overrides),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if extra:
        record.update(extra)
    counts = plan_counts(solution)
    cov = metrics.coverage(data, counts)
    summary = metrics.headline(data, cov)
    summary.update(points_by_kind(data, cov.sector))
    summary["aggregate_targets"] = aggregate_targets(data, cov.sector)
    summary["objective_recomputed"] = (
        objective_value(data, counts, cov) if solution.x is not None else None
    )
    summary["stations_placed"] = int(counts.sum())
    summary["cost"] = float(data.t_cost @ counts)
    summary["us_dependency"] = {
        "levels": None,
        "by_capability": None,
        **(us_counterfactual or {}),
        "static": static_loss(data, counts),
    }
    tables = metrics.tables(data, counts, cov)
    tables["us_dependency"] = us_dependency_table(summary["us_dependency"])
    return Report(record=record, summary=_plain_dict(summary), tables=tables)


def us_dependency_table(dep: dict[str, object]) -> pd.DataFrame:
    """A1 as one tidy table: a row per counterfactual, losses in miles and points."""
    rows: list[dict[str, object]] = []
    for level in dep.get("levels") or []:  # type: ignore[attr-defined]
        rows.append({"counterfactual": "us_level", "withdrawn": level["level"], **level})
    static = dict(dep["static"])  # type: ignore[call-overload]
    static["status"] = "static (same plan, not re-planned)"
    rows.append({"counterfactual": "static", "withdrawn": "US stations", **static})
    for cap in dep.get("by_capability") or []:  # type: ignore[attr-defined]
        row = {"counterfactual": "us_capability", "withdrawn": cap["name"], **cap}
        row["pools"] = " ".join(cap["pools"])
        rows.append(row)
    columns = ["counterfactual", "withdrawn", "status", "objective", "front_miles_covered"]
    columns += ["front_points", "air_points", "sea_points", "objective_lost", "front_miles_lost"]
    columns += ["front_points_lost", "air_points_lost", "sea_points_lost", "pools"]
    return pd.DataFrame(rows).reindex(columns=columns)


def _versions() -> dict[str, str | None]:
    """Versions of the libraries a result depends on (read from metadata, nothing imported)."""
    from importlib import metadata

    out: dict[str, str | None] = {}
    for name in ("numpy", "scipy", "pandas", "pydantic", "PyYAML", "highspy", "PuLP", "ortools"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def _command(
    solution: Solution, instance_file: str | Path | None, overrides: Sequence[str]
) -> str | None:
    """The ``posture solve`` command line that repeats this run (None without a file)."""
    if instance_file is None:
        return None
    import shlex

    o = solution.options
    args = ["posture", "solve", str(instance_file), "--solver", solution.solver]
    args += ["--gap", f"{o.gap:g}", "--threads", str(o.threads), "--seed", str(o.seed)]
    if o.time_limit is not None:
        args += ["--time-limit", f"{o.time_limit:g}"]
    if not o.reduce:
        args += ["--no-reduce"]
    for item in overrides:
        args += ["--set", item]
    return shlex.join(args)


def _plain_dict(values: dict[str, Any]) -> dict[str, object]:
    return {key: _plain(value) for key, value in values.items()}


def _plain(value: object) -> object:
    """NumPy scalars to Python ones, so json.dumps takes everything."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value
