"""An infeasibility diagnosis (optimizer.model.diagnose) as a table, a text and run-folder files."""

from __future__ import annotations

import math

import pandas as pd

from optimizer.model.diagnose import Diagnosis

COLUMNS = (
    "item",
    "family",
    "sector",
    "kind",
    "capability",
    "target",
    "reachable",
    "shortfall",
    "stations_short",
    "constraint",
    "limit",
    "needed",
    "excess",
    "detail",
)


def diagnosis_table(d: Diagnosis) -> pd.DataFrame:
    """One row per unmet requirement, per limit that must rise, per family tried alone."""
    rows: list[dict[str, object]] = []
    for s in d.shortfalls:
        rows.append(
            {
                "item": "requirement",
                "family": "targets",
                "sector": s.sector,
                "kind": s.kind,
                "capability": s.capability,
                "target": s.target,
                "reachable": s.reachable,
                "shortfall": s.shortfall,
                "stations_short": s.stations_short,
                "detail": s.reason,
            }
        )
    for v in d.violations:
        rows.append(
            {
                "item": "limit",
                "family": v.family,
                "constraint": v.constraint,
                "limit": v.limit,
                "needed": v.needed,
                "excess": v.excess,
            }
        )
    for family, outcome in d.deletion_filter.items():
        rows.append(
            {"item": "switched_off_alone", "family": family, "detail": f"instance then {outcome}"}
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def diagnosis_text(d: Diagnosis, limit: int = 12) -> str:
    """The terminal's account of a diagnosis (at most ``limit`` lines per part)."""
    if not d.infeasible:
        return "diagnosis   the elastic re-solve meets every target: no requirement is violated"
    lines = ["diagnosis   no plan meets every requirement (elastic re-solve with HiGHS):"]
    if d.shortfalls:
        lines.append("  requirements that cannot be met together (best reachable coverage):")
        for s in d.shortfalls[:limit]:
            stations = (
                f" ({s.stations_short:.3g} effective stations)"
                if math.isfinite(s.stations_short)
                else ""  # a total (A5): no one requirement to count stations for
            )
            lines.append(
                f"    {s.sector} ({s.kind}) {s.capability}: target {s.target:.3g}, reachable "
                f"{s.reachable:.3g}, short {s.shortfall:.3g}{stations}: {s.reason}"
            )
        if len(d.shortfalls) > limit:
            lines.append(f"    ... and {len(d.shortfalls) - limit} more (see diagnosis.csv)")
    if d.violations:
        lines.append("  limits that would have to rise for every target to be met:")
        for v in d.violations[:limit]:
            lines.append(
                f"    {v.family} {v.constraint}: limit {v.limit:.6g}, needed {v.needed:.6g}"
                f" (+{v.excess:.6g})"
            )
        if len(d.violations) > limit:
            lines.append(f"    ... and {len(d.violations) - limit} more (see diagnosis.csv)")
    elif not d.limits_explain:
        lines.append(
            "  no amount of pool units, posts' room, base capacity, tanker support or budget "
            "meets every target: the sectors above (or those a total needs) have no usable station"
        )
    lines.append(f"  constraint families involved: {', '.join(d.families) or 'none found'}")
    alone = d.sufficient_alone
    lines.append(
        "  switching off one family alone makes it feasible: "
        + (", ".join(alone) if alone else "none (the families act together, or targets alone)")
    )
    lines.extend(f"  note: {note}" for note in d.notes)
    return "\n".join(lines)
