"""S4/A7: the tornado of one-at-a-time changes, widest swing on top."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from optimizer.plotting._style import axis, nothing_to_draw, tidy

LOW, HIGH = "#e08214", "#2166ac"


def plot_tornado(table: pd.DataFrame, ax: Axes | None = None, top: int = 15) -> Axes:
    """Objective change at each field's low and high value (s4_tornado.csv columns: ``field``,
    ``low``, ``high``, ``obj_change_low``, ``obj_change_high``; ``swing`` orders the bars when
    present). Each bar is a re-optimised solve; the axis is the objective's change from the base.
    """
    ax = axis(ax)
    needed = {"field", "obj_change_low", "obj_change_high"}
    if table.empty or not needed <= set(table.columns):
        return nothing_to_draw(ax, "tornado rows")
    rows = table.reset_index(drop=True)
    low = pd.to_numeric(rows["obj_change_low"], errors="coerce").fillna(0).to_numpy()
    high = pd.to_numeric(rows["obj_change_high"], errors="coerce").fillna(0).to_numpy()
    swing = (
        pd.to_numeric(rows["swing"], errors="coerce").fillna(0).to_numpy()
        if "swing" in rows
        else np.abs(high - low)
    )
    order = np.argsort(-swing, kind="stable")[:top][::-1]
    y = np.arange(len(order))
    for values, side, color, shift in ((low, "low", LOW, 0.17), (high, "high", HIGH, -0.17)):
        v = values[order]
        ax.barh(y + shift, v, color=color, height=0.34, edgecolor="white", linewidth=0.4)
        for yi, vi, i in zip(y, v, order, strict=True):
            if vi == 0 or side not in rows:
                continue
            ax.annotate(
                f"{rows[side].iloc[i]}",
                (vi, yi + shift),
                xytext=(3 if vi > 0 else -3, 0),
                textcoords="offset points",
                ha="left" if vi > 0 else "right",
                va="center",
                fontsize=6.5,
                color="#333333",
            )
    for yi, i in zip(y, order, strict=True):
        if low[i] == 0 and high[i] == 0:
            ax.annotate(
                "no change over the range",
                (0, yi),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=6.5,
                color="#777777",
            )
    ax.axvline(0, color="#1a1a1a", linewidth=0.8)
    ax.set_yticks(y, [str(rows["field"].iloc[i]) for i in order], fontsize=7.5)
    ax.set_xlabel(
        "change of objective from the base case, each bar re-optimised\n"
        "orange: at the field's low value; blue: at its high value (the value beside the bar)",
        fontsize=8.5,
    )
    ax.set_title(
        "Tornado: one input at a time, at its low and its high value", fontsize=10, loc="left"
    )
    ax.margins(x=0.25)
    tidy(ax)
    return ax
