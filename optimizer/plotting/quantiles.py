"""D3: the spread of each headline figure over Monte Carlo draws."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from optimizer.plotting._style import AIR, axis, nothing_to_draw, tidy


def plot_quantiles(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """P10-P90 range and P50 of each figure (quantiles.csv: ``figure`` and ``p10``, ``p50``,
    ``p90`` in any letter case), each figure on its own row, scaled to its P90 so that figures
    of different units share the axis; the values are written beside the bars.
    """
    ax = axis(ax)
    columns = {str(c).lower(): c for c in table.columns}
    name = columns.get("figure") or columns.get("metric") or columns.get("name")
    if table.empty or name is None or not {"p10", "p50", "p90"} <= set(columns):
        return nothing_to_draw(ax, "quantiles")
    p10, p50, p90 = (
        pd.to_numeric(table[columns[q]], errors="coerce").to_numpy() for q in ("p10", "p50", "p90")
    )
    scale = np.where(np.abs(p90) > 0, np.abs(p90), 1.0)
    y = np.arange(len(table))[::-1]
    ax.hlines(y, p10 / scale, p90 / scale, color=AIR, linewidth=6, alpha=0.45)
    ax.scatter(p50 / scale, y, color=AIR, zorder=3, s=24)
    for yi, lo, mid, hi in zip(y, p10, p50, p90, strict=True):
        ax.annotate(
            f"P10 {lo:.4g} · P50 {mid:.4g} · P90 {hi:.4g}",
            (1.0, yi),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=6.5,
        )
    ax.set_yticks(y, [str(v) for v in table[name]], fontsize=7.5)
    ax.set_xlim(min(0.0, float(np.nanmin(p10 / scale))) - 0.02, 1.75)
    ax.set_xlabel("fraction of the figure's P90", fontsize=9)
    ax.set_title("Monte Carlo: P10-P90 (bar) and P50 (dot) of each figure", fontsize=10, loc="left")
    tidy(ax)
    return ax
