"""The typed result of one solve: what the solver proved, the headline figures, the tables.

A :class:`Result` is what :func:`optimizer.solve` returns and what ``posture solve`` prints and
writes: the figures are attributes (``res.objective``, ``res.front_miles_covered``), the tables
are pandas DataFrames (``res.sectors``, ``res.plan``, ``res.pools``, ``res.bases``,
``res.nations``), ``res.summary()`` is the terminal summary and ``res.to_folder(dir)`` writes
the very run folder of ``posture solve``. Nothing is recomputed here: every figure is read from
the report the one solve path made (:func:`optimizer.api.solve_instance`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from optimizer.instance.schema import Instance
from optimizer.model.diagnose import Diagnosis
from optimizer.model.solve import Solution
from optimizer.results import Report, summary_text, write_run
from optimizer.results.diagnosis import diagnosis_table, diagnosis_text
from optimizer.results.writer import DEFAULT_RESULTS, to_json
from optimizer.solvers import Status

#: The headline figures shown by ``repr`` and the notebook display, with their units.
SHOWN = (
    ("objective", "objective", ""),
    ("best_bound", "best bound", ""),
    ("gap", "gap", ""),
    ("front_miles_covered", "front covered", "mi"),
    ("front_miles_total", "front total", "mi"),
    ("longest_uncovered_miles", "longest uncovered stretch", "mi"),
    ("air_coverage", "airspace coverage", "share"),
    ("sea_coverage", "sea-lane coverage", "share"),
    ("shipping_protected_end_to_end", "shipping protected end to end", "share"),
    ("stations_placed", "stations placed", "stations"),
    ("cost", "cost", "per period"),
)


@dataclass(frozen=True, eq=False, repr=False)
class Result:
    """One solve's outcome (frozen).

    ``status`` says what the solver proved: only ``optimal`` is proven within the gap;
    ``objective`` is the plan's value recomputed from the plan, ``best_bound`` the solver's
    bound on the best possible value, ``gap`` their relative difference. The coverage figures
    are None when there is no plan; shares are fractions (0 to 1) of the weighted sectors.
    """

    status: Status
    objective: float | None
    best_bound: float | None
    gap: float | None
    front_miles_covered: float | None
    front_miles_total: float
    front_pct: float | None
    longest_uncovered_miles: float | None
    air_coverage: float | None
    sea_coverage: float | None
    shipping_protected_end_to_end: float | None
    stations_placed: int
    cost: float
    solver: str
    build_seconds: float
    solve_seconds: float
    instance: Instance
    solution: Solution
    report: Report
    diagnosis: Diagnosis | None = None  # why there is no plan, when the instance is infeasible
    started: bool = False  # a warm start of the same layout was handed to the solver
    timings: dict[str, float] = field(default_factory=dict)  # build_s, build_cpu_s, solve_s ...
    run_dir: Path | None = None  # the run folder, once written

    @classmethod
    def of(
        cls,
        solution: Solution,
        report: Report,
        diagnosis: Diagnosis | None = None,
        started: bool = False,
        timings: dict[str, float] | None = None,
    ) -> Result:
        """The result of ``solution``, with the figures of its ``report``."""
        s = report.summary
        has_plan = solution.x is not None

        def figure(key: str) -> Any:
            return s.get(key) if has_plan else None

        return cls(
            status=solution.status,
            objective=solution.objective,
            best_bound=solution.best_bound,
            gap=solution.gap,
            front_miles_covered=figure("front_miles_covered"),
            front_miles_total=_number(s.get("front_miles_total")),
            front_pct=figure("front_pct"),
            longest_uncovered_miles=figure("longest_uncovered_miles"),
            air_coverage=figure("air_coverage"),
            sea_coverage=figure("sea_coverage"),
            shipping_protected_end_to_end=figure("shipping_protected_end_to_end"),
            stations_placed=round(_number(s.get("stations_placed"))),
            cost=_number(s.get("cost")),
            solver=solution.solver,
            build_seconds=solution.build_seconds,
            solve_seconds=solution.solve_seconds,
            instance=solution.instance,
            solution=solution,
            report=report,
            diagnosis=diagnosis,
            started=started,
            timings=dict(timings or {}),
        )

    # --- the figures and tables -------------------------------------------------------------
    @property
    def proven_optimal(self) -> bool:
        """True only when the solver proved the plan optimal within the gap."""
        return self.status is Status.OPTIMAL

    @property
    def has_plan(self) -> bool:
        """True when the solve produced a plan (optimal, feasible or stopped by the limit)."""
        return self.solution.x is not None

    @property
    def figures(self) -> dict[str, Any]:
        """Every headline figure of the summary (summary.json), by name."""
        return dict(self.report.summary)

    @property
    def record(self) -> dict[str, Any]:
        """The run record (run.json): how the result was obtained."""
        return dict(self.report.record)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the run folder, by name (copies)."""
        return {name: frame.copy() for name, frame in self.report.tables.items()}

    @property
    def sectors(self) -> pd.DataFrame:
        """Per sector: kind, length, weight, coverage and what covers it (sectors.csv)."""
        return self._table("sectors")

    @property
    def plan(self) -> pd.DataFrame:
        """The plan: stations placed per pool, base and station (plan.csv)."""
        return self._table("plan")

    @property
    def pools(self) -> pd.DataFrame:
        """Per pool: units offered and used, stations (pools.csv)."""
        return self._table("pools")

    @property
    def bases(self) -> pd.DataFrame:
        """Per base and asset class: capacity and load (bases.csv)."""
        return self._table("bases")

    @property
    def nations(self) -> pd.DataFrame:
        """Per nation: what it contributes (nations.csv)."""
        return self._table("nations")

    def _table(self, name: str) -> pd.DataFrame:
        return self.report.tables[name].copy()

    # --- text, folders, display -------------------------------------------------------------
    @property
    def text(self) -> str:
        """The summary as ``posture solve`` prints it (with the run folder, once written)."""
        return self._summary(self.run_dir)

    def summary(self) -> str:
        """The terminal summary: status, bound, gap, the figures, the diagnosis if any."""
        return self._summary(None)

    def _summary(self, run_dir: Path | None) -> str:
        text = summary_text(self.report, run_dir)
        return text if self.diagnosis is None else f"{text}\n{diagnosis_text(self.diagnosis)}"

    def to_folder(self, parent: str | Path = DEFAULT_RESULTS) -> Path:
        """Write the run folder of ``posture solve`` under ``parent`` and return its path.

        The folder (``<UTC time>-<instance>-<solver>``) holds run.json, summary.json,
        instance.json, summary.txt, the tables as CSV, and diagnosis.json/.csv when infeasible;
        it is written to a temporary name and renamed when complete, never over another.
        """
        files: dict[str, str] = {}
        if self.diagnosis is not None:
            files["diagnosis.json"] = to_json(self.diagnosis.as_dict()) + "\n"
            files["diagnosis.csv"] = diagnosis_table(self.diagnosis).to_csv(
                index=False, float_format="%.10g", lineterminator="\n"
            )
        return write_run(
            # pydantic's own serializer: ~10x faster than model_dump + json.dumps on large
            # instances (4.2 -> 0.4 CPU s at 100,000 sectors); every number is finite.
            self.report,
            self.instance.model_dump_json(indent=2),
            parent,
            self.summary(),
            extra_files=files,
        )

    def written(self, run_dir: Path) -> Result:
        """This result, knowing the run folder it was written to."""
        return replace(self, run_dir=run_dir)

    def __repr__(self) -> str:
        front = (
            "n/a"
            if self.front_miles_covered is None
            else f"{self.front_miles_covered:.1f}/{self.front_miles_total:.1f} mi"
        )
        return (
            f"Result({self.instance.name!r}, status={self.status.value!r}, "
            f"objective={_short(self.objective)}, best_bound={_short(self.best_bound)}, "
            f"gap={_short(self.gap)}, front={front}, solver={self.solver!r})"
        )

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(label)}</th>"
            f"<td>{html.escape(_short(getattr(self, key)))}</td>"
            f"<td>{html.escape(unit)}</td></tr>"
            for key, label, unit in SHOWN
        )
        proven = "proven optimal" if self.proven_optimal else "not proven optimal"
        title = (
            f"<b>{html.escape(self.instance.name)}</b>: {html.escape(self.status.value)} "
            f"({proven}), {html.escape(self.solver)}, {self.solve_seconds:.2f} s"
        )
        return f"<div>{title}<table>{rows}</table></div>"


def _short(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0
