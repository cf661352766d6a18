"""A1: what the coalition loses without the US, re-planned, beside the static loss."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from optimizer.plotting._style import AIR, FRONT, SEA, axis, nothing_to_draw, tidy

GROUP_LABEL = {"us_level": "US at", "static": "", "us_capability": "without US"}


def plot_us_dependency(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Points of the objective lost, by kind (front, airspace, sea stacked), in each
    counterfactual of us_dependency.csv (``counterfactual``: ``us_level``, ``static`` or
    ``us_capability``; ``withdrawn``; ``front_points_lost``, ``air_points_lost``,
    ``sea_points_lost``; ``front_miles_lost`` written beside each bar). Re-planned rows are
    solid; the static row (same plan without its US posts, not re-planned) is hatched.
    """
    ax = axis(ax)
    kinds = [
        ("front_points_lost", "front", FRONT),
        ("air_points_lost", "airspace", AIR),
        ("sea_points_lost", "sea", SEA),
    ]
    if table.empty or "withdrawn" not in table or not any(k in table for k, _, _ in kinds):
        return nothing_to_draw(ax, "US counterfactuals")
    rows = table.reset_index(drop=True)
    y = np.arange(len(rows))[::-1]
    left = np.zeros(len(rows))
    static = rows.get("counterfactual", pd.Series([""] * len(rows))).astype(str) == "static"
    for column, label, color in kinds:
        if column not in rows:
            continue
        values = pd.to_numeric(rows[column], errors="coerce").fillna(0).to_numpy()
        ax.barh(
            y,
            values,
            left=left,
            color=color,
            height=0.62,
            label=label,
            hatch=["///" if s else "" for s in static],
            edgecolor="white",
            linewidth=0.5,
        )
        left += values
    miles = (
        pd.to_numeric(rows["front_miles_lost"], errors="coerce").fillna(0).to_numpy()
        if "front_miles_lost" in rows
        else np.zeros(len(rows))
    )
    for yi, total, mi in zip(y, left, miles, strict=True):
        text = f"{total:.3g} pts" + (f" ({mi:.0f} mi of front)" if mi > 0 else "")
        ax.annotate(
            text, (total, yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=6.5
        )
    labels = []
    for r in rows.to_dict("records"):
        if r.get("counterfactual") == "static":
            labels.append("this plan without its US posts (static)")
            continue
        group = GROUP_LABEL.get(str(r.get("counterfactual", "")), "")
        labels.append(f"{group} {r['withdrawn']}".strip())
    ax.set_yticks(y, labels, fontsize=7.5)
    ax.set_xlabel("objective points lost (front + airspace + sea)", fontsize=9)
    ax.set_title(
        "US dependency: loss when the coalition re-plans without it", fontsize=10, loc="left"
    )
    handles, names = ax.get_legend_handles_labels()
    if static.any():
        handles.append(Patch(facecolor="white", edgecolor="#555555", hatch="///"))
        names.append("static: same plan, not re-planned")
    ax.legend(handles, names, fontsize=7.5, frameon=False, loc="lower right")
    ax.margins(x=0.3)
    tidy(ax)
    return ax
