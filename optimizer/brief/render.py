"""``posture report``: draw a run or analysis folder and write its brief.

:func:`render` reads a folder (see :mod:`optimizer.brief.folders`), draws what it holds and
adds its own files to it: ``map.png``/``map.svg`` and ``plan.geojson`` for a solve run,
``chart-<name>.png``/``.svg`` for each chart the folder's tables allow, and ``brief.html``.
The folder's existing files are never touched; each new file is written to a temporary name
beside it and renamed into place, so a reader sees either the old file or the whole new one.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure

from optimizer.brief.folders import Folder, FolderError, open_folder
from optimizer.brief.geojson import plan_geojson
from optimizer.brief.html import Brief, Figure, Image, Section, Table, render_html
from optimizer.brief.solverun import SolveRun, map_data, read_solve_run
from optimizer.brief.summaries import (
    analysis_command,
    binding_items,
    solve_figures,
    uncertainty_table,
)
from optimizer.plotting import (
    plot_compare_differences,
    plot_contributions,
    plot_force_curve,
    plot_frontier,
    plot_map,
    plot_marginal_values,
    plot_quantiles,
    plot_sector_coverage,
    plot_strike_curve,
    plot_tornado,
    plot_us_dependency,
    plot_us_levels,
    plot_withdrawals,
)
from optimizer.plotting.frontier import frontier_axes

#: Files ``render`` may write; nothing else in a folder is ever replaced.
OWN_FILES = ("brief.html", "map.png", "map.svg", "plan.geojson")
OWN_PREFIX = "chart-"
DPI = 150

Draw = Callable[[Axes], Axes]


@dataclass(frozen=True)
class Rendered:
    """What a report wrote."""

    folder: Path
    kind: str
    files: tuple[Path, ...]

    @property
    def brief(self) -> Path:
        return self.folder / "brief.html"

    @property
    def map(self) -> Path | None:
        path = self.folder / "map.png"
        return path if path in self.files else None


@dataclass(frozen=True)
class Chart:
    name: str  # file stem after chart-
    caption: str
    draw: Draw
    size: tuple[float, float] = (8.0, 4.6)


def render(path: str | Path, reach: bool = False) -> Rendered:
    """Draw the folder at ``path`` and write its pictures and brief into it."""
    folder = open_folder(path)
    writer = _Writer(folder.path)
    if folder.kind == "solve":
        brief = _solve_brief(read_solve_run(folder), writer, reach)
    else:
        brief = _analysis_brief(folder, writer)
    writer.text("brief.html", render_html(brief))
    return Rendered(folder.path, folder.kind, tuple(writer.written))


# -- solve run -----------------------------------------------------------------------------


def _solve_brief(run: SolveRun, writer: _Writer, reach: bool) -> Brief:
    data = map_data(run, reach=reach)
    fig = MplFigure(figsize=(11.5, 8.8))
    FigureCanvasAgg(fig)  # a renderer for measuring labels (see plotting.map._declutter)
    plot_map(data, fig.subplots())
    png = writer.figure(fig, "map")
    writer.text("plan.geojson", json.dumps(plan_geojson(run), indent=1, allow_nan=False) + "\n")
    images = [
        Image(
            png,
            "map of the plan",
            "Plan on the theatre map (map.png, map.svg; "
            "plan.geojson holds the same features for QGIS).",
            wide=True,
        )
    ]
    charts = [
        Chart(
            "front",
            "Front coverage along the contact line, sector by sector.",
            lambda a: plot_sector_coverage(run.sectors, a),
            (9.0, 3.6),
        )
    ]
    us = run.folder.table("us_dependency.csv")
    if us is not None and not us.empty:
        charts.append(
            Chart(
                "us-dependency",
                "What is lost without the US: each lower US level and each US capability "
                "withdrawn alone, re-planned; the static row keeps this plan (us_dependency.csv).",
                lambda a: plot_us_dependency(us, a),
                (8.5, 1.4 + 0.38 * len(us)),
            )
        )
    sections = [
        Section("Map", images=images),
        Section("What binds", items=binding_items(run)),
        _uncertainty_section(run.instance),
        Section("Charts", images=[_chart_image(writer, c) for c in charts]),
        Section("Tables", tables=_solve_tables(run)),
    ]
    command = str(run.record.get("reproduce") or "not recorded in run.json")
    return Brief(
        title=f"posture brief: {data.title}",
        subtitle=data.subtitle,
        figures=solve_figures(run),
        sections=[s for s in sections if s.items or s.images or s.tables or s.note],
        command=command,
    )


def _solve_tables(run: SolveRun) -> list[Table]:
    tables = [
        Table(
            "Sectors (sectors.csv)",
            run.sectors,
            "coverage 0-1 of each sector's requirement; cov_* by capability; binding: "
            "the capability that limits the sector",
        )
    ]
    tables.append(
        Table("Plan (plan.csv)", run.plan, "posts of each pool, from which base, at which station")
    )
    if run.pools is not None:
        tables.append(Table("Pools (pools.csv)", run.pools, "units used of units offered"))
    tables.append(Table("Bases (bases.csv)", run.bases, "units hosted of capacity"))
    us = run.folder.table("us_dependency.csv")
    if us is not None:
        tables.append(
            Table(
                "US dependency (us_dependency.csv)",
                us,
                "re-planned counterfactuals and the static loss of this plan",
            )
        )
    if run.nations is not None:
        tables.append(
            Table(
                "Nations (nations.csv)",
                run.nations,
                "coverage_share: the nation's share of the coverage in this plan",
            )
        )
    return tables


def _uncertainty_section(instance: dict[str, Any]) -> Section:
    table = uncertainty_table(instance)
    if table is None:
        return Section(
            "Uncertain assumptions",
            note="The instance marks no uncertain inputs (no uncertainty: section).",
        )
    return Section(
        "Uncertain assumptions",
        note="Inputs the instance marks uncertain, with the range it gives and its source; "
        "`posture sensitivity` runs the tornado over them and shows which move the answer.",
        tables=[Table("Uncertainty ranges (instance)", table)],
    )


# -- analysis folders ----------------------------------------------------------------------


def _analysis_brief(folder: Folder, writer: _Writer) -> Brief:
    builders = {
        "sensitivity": _sensitivity,
        "sweep": _sweep,
        "compare": _compare,
        "contributions": _contributions,
        "attack": _attack,
        "tradeoff": _tradeoff,
        "montecarlo": _montecarlo,
    }
    build = builders.get(folder.kind)
    if build is None:
        raise FolderError(
            f"{folder.path}: a '{folder.kind}' folder; posture report draws solve, "
            f"{', '.join(builders)} folders"
        )
    figures, charts, tables, items = build(folder)
    images = [_chart_image(writer, c) for c in charts]
    record = folder.record
    name = record.get("instance") or folder.path.name
    sections = [
        Section("What drives the answer", items=items),
        Section("Charts", images=images),
        Section("Summary", text=_summary_text(folder)),
        Section("Tables", tables=tables),
    ]
    subtitle = " · ".join(
        str(v)
        for v in (record.get("instance_file"), record.get("solver"), record.get("objective_kind"))
        if v
    )
    return Brief(
        title=f"posture {folder.kind}: {name}",
        subtitle=subtitle or str(folder.path),
        figures=figures,
        sections=[s for s in sections if s.items or s.images or s.tables or s.text],
        command=analysis_command(folder),
    )


def _summary_text(folder: Folder) -> str:
    """The folder's own summary.md (analysis folders), as the command printed it."""
    for name in ("summary.md",):
        path = folder.path / name
        if path.is_file():
            try:
                text = path.read_text()
            except (OSError, UnicodeDecodeError):
                return ""
            return text if len(text) < 60_000 else text[:60_000] + "\n... (cut; see " + name + ")"
    return ""


Built = tuple[list[Figure], list[Chart], list[Table], list[str]]


def _sensitivity(folder: Folder) -> Built:
    s1 = folder.table("s1_us_participation.csv")
    s2 = folder.table("s2_marginal_value.csv")
    s3 = folder.table("s3_switches.csv")
    tornado = folder.table("s4_tornado.csv")
    force = folder.table("s4_force_curve.csv")
    charts, tables, figures, items = [], [], [], []
    if s1 is not None:
        charts.append(
            Chart(
                "us-levels",
                "S1: coverage at each US participation level, each re-optimised.",
                lambda a: plot_us_levels(s1, a),
            )
        )
        tables.append(Table("S1 US participation (s1_us_participation.csv)", s1))
        figures += _us_figures(s1)
    if s3 is not None:
        charts.append(
            Chart(
                "switches",
                "S3: coverage under each scenario switch.",
                lambda a: plot_us_levels(s3, a, label="setting"),
            )
        )
        tables.append(Table("S3 switches (s3_switches.csv)", s3))
    if tornado is not None:
        charts.append(
            Chart(
                "tornado",
                "S4: one input at a time between its low and high value.",
                lambda a: plot_tornado(tornado, a),
                (8.0, 1.6 + 0.35 * min(len(tornado), 15)),
            )
        )
        tables.append(Table("S4 tornado (s4_tornado.csv)", tornado))
        items += _tornado_items(tornado)
    if force is not None:
        charts.append(
            Chart(
                "force-curve",
                "S4: coverage against the size of the whole force.",
                lambda a: plot_force_curve(force, a),
            )
        )
        tables.append(Table("S4 force curve (s4_force_curve.csv)", force))
    if s2 is not None:
        charts.append(
            Chart(
                "marginal-values",
                "S2: objective change with one station more or less of each pool (re-solved).",
                lambda a: plot_marginal_values(s2, a),
                (8.0, 1.6 + 0.3 * min(len(s2), 20)),
            )
        )
        tables.append(Table("S2 marginal value (s2_marginal_value.csv)", s2))
        items += _marginal_items(s2)
    nations = folder.table("s2_nations.csv")
    if nations is not None:
        charts.append(
            Chart(
                "nations",
                "S2: objective lost when each nation withdraws all it offers (re-solved).",
                lambda a: plot_withdrawals(nations, a),
                (8.0, 1.6 + 0.3 * min(len(nations), 20)),
            )
        )
        tables.append(Table("S2 nations withdrawn (s2_nations.csv)", nations))
    return figures, charts, tables, items


def _us_figures(s1: pd.DataFrame) -> list[Figure]:
    figures = []
    rows = {str(r["us_participation"]): r for r in s1.to_dict("records")}
    full = rows.get("full")
    for level, row in rows.items():
        note = "re-optimised"
        if full is not None and level != "full":
            lost = float(full.get("front_miles_covered", 0)) - float(
                row.get("front_miles_covered", 0)
            )
            note = f"{lost:.0f} mi fewer than with full US participation (re-optimised)"
        figures.append(
            Figure(
                f"front miles covered, US {level}",
                f"{float(row.get('front_miles_covered', 0)):.0f} mi",
                note,
            )
        )
    return figures


def _tornado_items(tornado: pd.DataFrame) -> list[str]:
    if "swing" not in tornado or tornado.empty:
        return []
    rows = tornado.sort_values(
        "swing", ascending=False, key=lambda s: pd.to_numeric(s, errors="coerce")
    )
    items = []
    for r in rows.head(5).to_dict("records"):
        text = (
            f"{r['field']} (base {r.get('base_value', '?')}): objective "
            f"{r.get('obj_change_low', 0):+.3g} at {r.get('low')}, "
            f"{r.get('obj_change_high', 0):+.3g} at {r.get('high')} (swing {r['swing']:.3g}"
        )
        if pd.notna(r.get("front_miles_swing")):
            text += f"; front {r['front_miles_swing']:.0f} mi"
        text += ")"
        if isinstance(r.get("source"), str) and r["source"]:
            text += f"; range from: {r['source']}"
        items.append(text)
    return items


def _marginal_items(s2: pd.DataFrame) -> list[str]:
    column = "obj_change_plus_1_station"
    if column not in s2:
        return []
    rows = s2.assign(_v=pd.to_numeric(s2[column], errors="coerce")).sort_values(
        "_v", ascending=False
    )
    return [
        f"one more station of {r['pool']} adds {r['_v']:.3g} to the objective (re-solved)"
        for r in rows.head(3).to_dict("records")
        if r["_v"] > 0
    ]


def _sweep(folder: Folder) -> Built:
    cases = folder.table("cases.csv", ("case", "status"))
    if cases is None:
        raise FolderError(f"{folder.path}: sweep.json but no cases.csv (nothing finished yet?)")
    varied = [str(v.get("path")) for v in folder.record.get("varies", []) if isinstance(v, dict)]
    varied = [v for v in varied if v in cases.columns]
    charts = []
    numeric = [v for v in varied if pd.to_numeric(cases[v], errors="coerce").notna().all()]
    if len(varied) == 1 and numeric:
        charts.append(
            Chart(
                "sweep",
                f"Coverage against {varied[0]} (each case re-optimised).",
                lambda a: plot_force_curve(cases, a, x=varied[0]),
            )
        )
    elif varied:
        label = varied[0]
        charts.append(
            Chart(
                "sweep",
                f"Coverage per value of {label}.",
                lambda a: plot_us_levels(cases, a, label=label),
            )
        )
    figures = [
        Figure("cases", f"{len(cases)}", str(folder.record.get("state", ""))),
        Figure("optimal", f"{int((cases['status'] == 'optimal').sum())}", "cases proven optimal"),
    ]
    return figures, charts, [Table("Cases (cases.csv)", cases)], []


def _compare(folder: Folder) -> Built:
    summary = folder.table("summary.csv", ("figure",))
    sectors = folder.table("sectors.csv")
    labels = _compare_labels(folder.path)
    charts, tables = [], []
    if sectors is not None:
        charts.append(
            Chart(
                "differences",
                "Coverage change of each sector, B minus A.",
                lambda a: plot_compare_differences(sectors, a, *labels),
                (8.0, 1.6 + 0.3 * min(len(sectors), 25)),
            )
        )
    for name in ("summary", "sectors", "pools", "bases", "nations", "stations", "cases"):
        frame = summary if name == "summary" else folder.table(f"{name}.csv")
        if frame is not None:
            tables.append(Table(f"{name}.csv", frame))
    figures = []
    if summary is not None and "b_minus_a" in summary:
        for row in summary.to_dict("records"):
            if row["figure"] in (
                "objective",
                "front_miles_covered",
                "air_coverage",
                "sea_coverage",
            ):
                figures.append(
                    Figure(
                        f"{row['figure']}, B minus A",
                        str(row["b_minus_a"]),
                        f"A {row.get('a')}, B {row.get('b')}",
                    )
                )
    return figures, charts, tables, [f"A = {labels[0]}", f"B = {labels[1]}"]


def _compare_labels(path: Path) -> tuple[str, str]:
    a, b = "A", "B"
    try:
        for line in (path / "compare.md").read_text().splitlines()[:20]:
            if line.startswith("A = "):
                a = line[4:].strip()
            elif line.startswith("B = "):
                b = line[4:].strip()
    except OSError:
        pass
    return a, b


def _contributions(folder: Folder) -> Built:
    shapley = folder.table("shapley.csv")
    charts, tables = [], []
    if shapley is not None:
        charts.append(
            Chart(
                "contributions",
                "Each nation's Shapley value.",
                lambda a: plot_contributions(shapley, a),
                (8.0, 1.6 + 0.3 * min(len(shapley), 30)),
            )
        )
    tables += _all_tables(folder)
    return _record_figures(folder, ("v_all", "v_none")), charts, tables, []


def _attack(folder: Folder) -> Built:
    worst = folder.table("worst.csv")
    charts = []
    if worst is not None:
        charts.append(
            Chart(
                "strike-curve",
                "Coverage left after the worst strike of each size.",
                lambda a: plot_strike_curve(worst, a),
            )
        )
    return _record_figures(folder, ()), charts, _all_tables(folder), []


def _tradeoff(folder: Folder) -> Built:
    frontier = folder.table("frontier.csv")
    budget = folder.table("budget.csv")
    charts = []
    axes = folder.record.get("axes")
    kinds = [str(a) for a in axes] if isinstance(axes, list) and len(axes) == 2 else ["x", "y"]
    pair = (f"{kinds[0]}_points", f"{kinds[1]}_points") if kinds != ["x", "y"] else None
    if frontier is not None and (pair is not None and set(pair) <= set(frontier.columns)):
        x, y = pair
        charts.append(
            Chart(
                "frontier",
                f"Pareto frontier: {kinds[0]} points against {kinds[1]} points (ε-constraint).",
                lambda a: plot_frontier(frontier, a, x=x, y=y),
            )
        )
    elif frontier is not None and frontier_axes(frontier) is not None:
        charts.append(
            Chart("frontier", "Trade-off frontier.", lambda a: plot_frontier(frontier, a))
        )
    if budget is not None and {"objective"} <= set(budget.columns):
        x_budget = "budget" if "budget" in budget.columns else "cost"
        if x_budget in budget.columns:
            charts.append(
                Chart(
                    "budget",
                    "Objective against the budget (each point re-optimised).",
                    lambda a: plot_frontier(
                        budget,
                        a,
                        x=x_budget,
                        y="objective",
                        title="Coverage against budget (each point re-optimised)",
                    ),
                )
            )
    return _record_figures(folder, ()), charts, _all_tables(folder), []


def _montecarlo(folder: Folder) -> Built:
    quantiles = folder.table("quantiles.csv")
    charts = []
    if quantiles is not None:
        charts.append(
            Chart(
                "quantiles",
                "P10, P50 and P90 of each figure over the draws.",
                lambda a: plot_quantiles(quantiles, a),
                (8.0, 1.6 + 0.35 * min(len(quantiles), 20)),
            )
        )
    return _record_figures(folder, ("samples",)), charts, _all_tables(folder), []


def _record_figures(folder: Folder, keys: tuple[str, ...]) -> list[Figure]:
    return [
        Figure(
            k,
            f"{folder.record[k]:.6g}"
            if isinstance(folder.record[k], float)
            else str(folder.record[k]),
        )
        for k in keys
        if k in folder.record
    ]


def _all_tables(folder: Folder) -> list[Table]:
    tables = []
    for path in sorted(folder.path.glob("*.csv")):
        frame = folder.table(path.name)
        if frame is not None:
            tables.append(Table(path.name, frame))
    return tables


# -- writing -------------------------------------------------------------------------------


def _chart_image(writer: _Writer, chart: Chart) -> Image:
    fig = MplFigure(figsize=chart.size)
    chart.draw(fig.subplots())
    png = writer.figure(fig, f"{OWN_PREFIX}{chart.name}")
    return Image(png, chart.caption, f"{chart.caption} ({OWN_PREFIX}{chart.name}.png, .svg)")


class _Writer:
    """Adds files to a folder atomically (temporary name, then rename); records what it wrote."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[Path] = []

    def figure(self, fig: MplFigure, stem: str) -> bytes:
        """Save ``fig`` as ``stem``.png and .svg; return the PNG's bytes (for the brief)."""
        png, svg = io.BytesIO(), io.BytesIO()
        with matplotlib.rc_context({"svg.hashsalt": "posture"}):  # the same ids every time
            fig.savefig(png, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
            fig.savefig(
                svg, format="svg", bbox_inches="tight", facecolor="white", metadata={"Date": None}
            )
        self.bytes(f"{stem}.png", png.getvalue())
        self.bytes(f"{stem}.svg", svg.getvalue())
        return png.getvalue()

    def text(self, name: str, text: str) -> None:
        self.bytes(name, text.encode("utf-8"))

    def bytes(self, name: str, data: bytes) -> None:
        if name not in OWN_FILES and not name.startswith(OWN_PREFIX):
            raise ValueError(f"report would write {name}, which is not its own file")
        target = self.folder / name
        fd, tmp = tempfile.mkstemp(prefix=f".tmp-{name}-", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.written.append(target)
