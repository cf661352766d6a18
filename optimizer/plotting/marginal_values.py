"""S2: the marginal value of each pool, one station more and one station less."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from optimizer.plotting._style import GAIN, LOSS, axis, nothing_to_draw, tidy


def plot_marginal_values(table: pd.DataFrame, ax: Axes | None = None, top: int = 20) -> Axes:
    """Objective change with one station's worth of units more and less, per pool
    (s2_marginal_value.csv: ``pool``, ``obj_change_plus_1_station``,
    ``obj_change_minus_1_station``; both re-solved, not duals). The ``top`` pools by the larger
    of the two are drawn, largest on top.
    """
    ax = axis(ax)
    plus_col, minus_col = "obj_change_plus_1_station", "obj_change_minus_1_station"
    if table.empty or not {"pool", plus_col, minus_col} <= set(table.columns):
        return nothing_to_draw(ax, "marginal values")
    plus = pd.to_numeric(table[plus_col], errors="coerce").fillna(0).to_numpy()
    minus = pd.to_numeric(table[minus_col], errors="coerce").fillna(0).to_numpy()
    size = np.maximum(np.abs(plus), np.abs(minus))
    order = np.argsort(-size, kind="stable")[:top][::-1]
    y = np.arange(len(order))
    ax.barh(y + 0.2, plus[order], height=0.38, color=GAIN, label="one station more")
    ax.barh(y - 0.2, minus[order], height=0.38, color=LOSS, label="one station less")
    ax.axvline(0, color="#1a1a1a", linewidth=0.8)
    ax.set_yticks(y, [str(table["pool"].iloc[i]) for i in order], fontsize=7.5)
    ax.set_xlabel("change of objective (re-optimised)", fontsize=9)
    ax.set_title("Marginal value of each pool", fontsize=10, loc="left")
    ax.legend(fontsize=7.5, frameon=False, loc="lower right")
    tidy(ax)
    return ax
