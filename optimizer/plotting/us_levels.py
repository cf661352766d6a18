"""S1/A1: coverage at each level of US participation, side by side."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from optimizer.plotting._style import AIR, FRONT, SEA, axis, nothing_to_draw, tidy

LEVEL_ORDER = ("none", "enablers_only", "full")


def plot_us_levels(
    table: pd.DataFrame, ax: Axes | None = None, label: str = "us_participation"
) -> Axes:
    """Front %, airspace % and sea % per row of ``table`` (s1_us_participation.csv columns:
    ``us_participation``, ``front_pct``, ``air_coverage``, ``sea_coverage``; fractions are
    shown as per cent). Other scenario switches (s3) draw the same way with ``label="setting"``.
    """
    ax = axis(ax)
    if table.empty or label not in table.columns:
        return nothing_to_draw(ax, "levels")
    rows = table.copy()
    if label == "us_participation":
        rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
        rows = rows.iloc[np.argsort([rank.get(str(v), 99) for v in rows[label]], kind="stable")]
    names = [str(v) for v in rows[label]]
    series = [
        ("front miles covered (%)", rows.get("front_pct"), 1.0, FRONT),
        ("airspace, weighted (%)", rows.get("air_coverage"), 100.0, AIR),
        ("sea lanes, weighted (%)", rows.get("sea_coverage"), 100.0, SEA),
    ]
    present = [(n, v, k, c) for n, v, k, c in series if v is not None]
    width = 0.8 / max(len(present), 1)
    x = np.arange(len(names))
    for i, (name, values, scale, color) in enumerate(present):
        heights = pd.to_numeric(values, errors="coerce").fillna(0).to_numpy() * scale
        bars = ax.bar(
            x + (i - (len(present) - 1) / 2) * width, heights, width, label=name, color=color
        )
        ax.bar_label(bars, fmt="%.0f", fontsize=7, padding=1)
    ax.set_xticks(x, names, fontsize=8)
    ax.set_ylim(0, 122)  # room for the legend above 100 %
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel("coverage (%)", fontsize=9)
    title = "Coverage by US participation (each level re-optimised)"
    ax.set_title(
        title if label == "us_participation" else "Coverage by scenario setting",
        fontsize=10,
        loc="left",
    )
    ax.legend(fontsize=7.5, frameon=False, loc="upper left", ncols=3)
    tidy(ax)
    return ax
