"""The words of a brief: key figures, what binds, uncertain inputs, the command to reproduce."""

from __future__ import annotations

import math
import shlex
from typing import Any

import pandas as pd

from optimizer.brief.folders import Folder
from optimizer.brief.html import Figure
from optimizer.brief.solverun import SolveRun
from optimizer.results.summary import signed

FULL = 1 - 1e-9


def solve_figures(run: SolveRun) -> list[Figure]:
    """Status, objective and the coverage figures of R1-R3, each with its unit."""
    r, m = run.record, run.summary
    figures = []
    status = str(r.get("status", "?"))
    proven = "proven optimal" if r.get("proven_optimal") else "not proven optimal"
    figures.append(
        Figure(
            "status", status, f"{proven}; solver {r.get('solver_version') or r.get('solver', '?')}"
        )
    )
    if _finite(r.get("objective")):
        gap = r.get("gap")
        figures.append(
            Figure(
                f"objective ({r.get('objective_kind', '')})",
                f"{r['objective']:.6g}",
                f"best bound {r.get('best_bound', float('nan')):.6g}, gap {gap:.2g}"
                if _finite(gap)
                else f"best bound {r.get('best_bound')}",
            )
        )
    if _finite(m.get("front_miles_total")):
        figures.append(
            Figure(
                "front covered",
                f"{m.get('front_miles_covered', 0):.0f} of {m['front_miles_total']:.0f} mi",
                f"{m.get('front_pct', 0):.1f} %; {m.get('front_sectors_below_threshold', '?')} of "
                f"{m.get('front_sectors', '?')} sectors below {m.get('coverage_threshold', 0.5):g}",
            )
        )
    if _finite(m.get("longest_uncovered_miles")) and m["longest_uncovered_miles"] > 0:
        a, b = m.get("longest_uncovered_from") or {}, m.get("longest_uncovered_to") or {}
        figures.append(
            Figure(
                "longest uncovered stretch",
                f"{m['longest_uncovered_miles']:.0f} mi",
                f"from {a.get('sector', '?')} to {b.get('sector', '?')}",
            )
        )
    if _finite(m.get("air_coverage")):
        figures.append(
            Figure(
                "airspace covered", f"{100 * m['air_coverage']:.1f} %", "weighted by sector weight"
            )
        )
    if _finite(m.get("sea_nm_total")) and m["sea_nm_total"] > 0:
        share = m.get("sea_shipping_share", m.get("shipping_protected_per_leg"))
        figures.append(
            Figure(
                "sea lanes escorted",
                f"{m.get('sea_nm_escorted', 0):.0f} of {m['sea_nm_total']:.0f} nm",
                f"{100 * float(share or 0):.1f} % of leg transits protected"
                if _finite(share)
                else "",
            )
        )
    end_to_end = m.get("shipping_protected_end_to_end")
    if _finite(end_to_end):
        routes = [
            f"{r.get('route')} {100 * float(r.get('protected_share') or 0):.0f} %"
            for r in m.get("shipping_routes") or []
            if isinstance(r, dict)
        ]
        figures.append(
            Figure(
                "shipping protected end to end",
                f"{100 * float(end_to_end or 0):.1f} %",
                "of monthly transits, each as far as its least-covered leg"
                + (f": {', '.join(routes)}" if routes else ""),
            )
        )
    if m.get("stations_placed") is not None:
        figures.append(
            Figure(
                "posts placed",
                f"{m['stations_placed']:g}",
                f"cost {m.get('cost', 0):.6g}" if _finite(m.get("cost")) else "",
            )
        )
    us = m.get("us_dependency") or {}
    for level in us.get("levels") or []:
        if isinstance(level, dict) and _finite(level.get("front_miles_lost")):
            # changes (negative: lost), the objective first: the kinds trade against each other
            by_kind = (
                f"front {signed(-level['front_miles_lost'], '+.0f')} mi, "
                f"airspace {signed(-level.get('air_points_lost', 0))} pts, "
                f"sea {signed(-level.get('sea_points_lost', 0))} pts; the coalition re-plans"
            )
            objective: Any = level.get("objective_lost")
            max_coverage = r.get("objective_kind", "max-coverage") == "max-coverage"
            figures.append(
                Figure(
                    f"change at US {level.get('level', '?')}, re-planned",
                    f"objective {signed(-float(objective), '+.4g')} pts"
                    if max_coverage and _finite(objective)
                    else f"front {signed(-level['front_miles_lost'], '+.0f')} mi",
                    by_kind,
                )
            )
    static: dict[str, Any] = us["static"] if isinstance(us.get("static"), dict) else us
    if _finite(static.get("front_miles_lost")):
        figures.append(
            Figure(
                "front miles resting on US-dependent posts",
                f"{static['front_miles_lost']:.0f} mi",
                f"static: this plan without its {static.get('us_dependent_stations', '?')} "
                "US-dependent posts, not re-planned",
            )
        )
    return figures


def binding_items(run: SolveRun) -> list[str]:
    """Sentences on what limits the plan: binding capabilities, full pools and bases."""
    items = []
    sectors = run.sectors
    if "binding" in sectors:
        short = sectors[pd.to_numeric(sectors["coverage"], errors="coerce").fillna(0) < FULL]
        for capability, group in short.groupby(short["binding"].fillna("?").astype(str)):
            kinds = ", ".join(f"{n} {k}" for k, n in group["kind"].value_counts().items())
            ids = ", ".join(group["sector"].astype(str).head(12))
            more = " ..." if len(group) > 12 else ""
            sectors_word = "sector" if len(group) == 1 else "sectors"
            items.append(
                f"{capability} limits {len(group)} {sectors_word} below full coverage "
                f"({kinds}): {ids}{more}"
            )
    pools = run.pools
    if pools is not None and {"pool", "units_used", "units_offered"} <= set(pools.columns):
        used = pd.to_numeric(pools["units_used"], errors="coerce").fillna(0)
        offered = pd.to_numeric(pools["units_offered"], errors="coerce").fillna(0)
        full = pools[(offered > 0) & (used >= offered - 1e-9)]
        if len(full):
            items.append(
                "pools using every unit offered: "
                + ", ".join(
                    f"{p} ({u:g})" for p, u in zip(full["pool"], used[full.index], strict=True)
                )
            )
        idle = pools[(offered > 0) & (used <= 1e-9)]
        if len(idle):
            items.append("pools offered but unused: " + ", ".join(idle["pool"].astype(str)))
    bases = run.bases
    if "capacity" in bases:
        load = pd.to_numeric(bases["load"], errors="coerce").fillna(0)
        capacity = pd.to_numeric(bases["capacity"], errors="coerce").fillna(0)
        full_bases = bases[(capacity > 0) & (load >= capacity - 1e-9)]
        if len(full_bases):
            items.append(
                "bases at capacity: "
                + ", ".join(
                    f"{b} ({c:g})"
                    for b, c in zip(full_bases["base"], capacity[full_bases.index], strict=True)
                )
            )
    return items


def uncertainty_table(instance: dict[str, Any]) -> pd.DataFrame | None:
    """The instance's ``uncertainty:`` ranges beside the nominal value they bracket."""
    ranges = instance.get("uncertainty")
    if not isinstance(ranges, dict) or not ranges:
        return None
    rows = []
    for path, spec in ranges.items():
        spec = spec if isinstance(spec, dict) else {}
        rows.append(
            {
                "field": str(path),
                "nominal": _resolve(instance, str(path)),
                "low": spec.get("low"),
                "high": spec.get("high"),
                "mode": spec.get("mode"),
                "source": spec.get("source", ""),
            }
        )
    return pd.DataFrame(rows)


def _resolve(instance: dict[str, Any], path: str) -> Any:
    """The value at a ``--set``-style path (list items by id), or None."""
    node: Any = instance
    parts = path.split(".")
    i = 0
    while i < len(parts) and node is not None:
        part = parts[i]
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list):
            match = [x for x in node if isinstance(x, dict) and str(x.get("id")) == part]
            if not match and part.isdigit() and int(part) < len(node):
                match = [node[int(part)]]
            node = match[0] if match else None
        else:
            node = None
        i += 1
    return node if isinstance(node, int | float | str | bool) else None


def analysis_command(folder: Folder) -> str:
    """The command that writes the folder again, from its record."""
    record = folder.record
    for key in ("reproduce", "command"):
        if isinstance(record.get(key), str):
            return str(record[key])
    words: list[str] = []
    if folder.kind == "sensitivity":
        request = record.get("request") or {}
        words = ["posture", "sensitivity", str(record.get("instance_file", "INSTANCE"))]
        for table in request.get("tables", []):
            words += ["--table", str(table)]
        for switch in request.get("switches", []):
            words += ["--switch", _assignment(switch)]
        for t in request.get("tornado", []):
            if isinstance(t, dict):
                words += ["--tornado", f"{t.get('path')}={t.get('low')},{t.get('high')}"]
        if request.get("force_steps") is not None:
            words += ["--force-steps", str(request["force_steps"])]
    elif folder.kind == "sweep":
        words = ["posture", "sweep", str(record.get("instance_file", "INSTANCE"))]
        for v in record.get("varies", []):
            if isinstance(v, dict):
                words += ["--vary", f"{v.get('path')}={','.join(map(str, v.get('values', [])))}"]
        if record.get("one_at_a_time"):
            words.append("--one-at-a-time")
        if record.get("chain_length") is not None:
            words += ["--chain-length", str(record["chain_length"])]
    elif folder.kind == "compare":
        return f"posture compare RUN_A RUN_B --out {folder.path.name}  (A and B: see compare.md)"
    else:
        return "not recorded in the folder"
    for fixed in record.get("fixed", []):
        words += ["--set", _assignment(fixed)]
    if record.get("solver"):
        words += ["--solver", str(record["solver"])]
    options = record.get("options") or {}
    for key in ("time_limit", "gap", "threads", "seed"):
        if options.get(key) is not None:
            words += [f"--{key.replace('_', '-')}", str(options[key])]
    return shlex.join(words)


def _assignment(item: Any) -> str:
    if isinstance(item, dict):
        return f"{item.get('path')}={item.get('value')}"
    return str(item)


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
