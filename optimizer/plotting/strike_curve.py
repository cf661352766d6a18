"""D1: the coverage left after the worst strike on k bases, k = 0..K."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from optimizer.plotting._style import LOSS, axis, nothing_to_draw, tidy


def plot_strike_curve(table: pd.DataFrame, ax: Axes | None = None, y: str = "objective") -> Axes:
    """``y`` after the worst strike of each size (worst.csv: ``k``, ``objective``, ``removed``:
    the critical set, shown beside each point). The coalition re-plans after each strike.
    """
    ax = axis(ax)
    if table.empty or not {"k", y} <= set(table.columns):
        return nothing_to_draw(ax, "strikes")
    rows = table.assign(_k=pd.to_numeric(table["k"], errors="coerce")).sort_values("_k")
    values = pd.to_numeric(rows[y], errors="coerce")
    ax.plot(rows["_k"], values, marker="o", color=LOSS, linewidth=1.6, markersize=5)
    if "removed" in rows:
        for k, v, removed in zip(rows["_k"], values, rows["removed"], strict=True):
            text = "" if pd.isna(removed) else str(removed)
            if text:
                ax.annotate(text, (k, v), xytext=(5, 4), textcoords="offset points", fontsize=6.5)
    ax.set_xticks(sorted(set(rows["_k"].dropna().astype(int))))
    ax.set_xlabel("bases struck (k, the worst set of that size)", fontsize=9)
    ax.set_ylabel(y.replace("_", " "), fontsize=9)
    ax.set_ylim(bottom=0)
    ax.margins(x=0.15)
    ax.set_title(
        "Coverage left after the worst strike (coalition re-plans)", fontsize=10, loc="left"
    )
    tidy(ax)
    return ax
