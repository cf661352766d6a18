"""A4/S2: what is lost when one nation (or pool) withdraws, each case re-optimised."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from optimizer.plotting._style import LOSS, axis, nothing_to_draw, tidy


def plot_withdrawals(
    table: pd.DataFrame,
    ax: Axes | None = None,
    label: str = "nation",
    value: str = "obj_change_without_nation",
    miles: str = "front_miles_change_without_nation",
    top: int = 20,
) -> Axes:
    """Objective change when each ``label`` withdraws all it offers (s2_nations.csv by default:
    ``nation``, ``obj_change_without_nation``, ``front_miles_change_without_nation`` written
    beside each bar); the largest losses on top.
    """
    ax = axis(ax)
    if table.empty or not {label, value} <= set(table.columns):
        return nothing_to_draw(ax, "withdrawals")
    change = pd.to_numeric(table[value], errors="coerce").fillna(0).to_numpy()
    order = np.argsort(change, kind="stable")[:top][::-1]  # most negative ends on top
    y = np.arange(len(order))
    ax.barh(y, change[order], color=LOSS, height=0.65)
    mi = (
        pd.to_numeric(table[miles], errors="coerce").fillna(0).to_numpy()
        if miles in table
        else np.zeros(len(table))
    )
    for yi, i in zip(y, order, strict=True):
        text = f"{change[i]:.3g}" + (f" ({mi[i]:+.0f} mi front)" if mi[i] else "")
        ax.annotate(
            text,
            (change[i], yi),
            xytext=(-3 if change[i] < 0 else 3, 0),
            textcoords="offset points",
            ha="right" if change[i] < 0 else "left",
            va="center",
            fontsize=6.5,
        )
    ax.set_yticks(y, [str(table[label].iloc[i]) for i in order], fontsize=7.5)
    ax.axvline(0, color="#1a1a1a", linewidth=0.8)
    ax.set_xlabel("change of objective without it (re-optimised)", fontsize=9)
    ax.set_title(f"Loss when one {label} withdraws everything it offers", fontsize=10, loc="left")
    ax.margins(x=0.35)
    span = float(np.abs(change).max()) if len(change) else 1.0
    left, right = ax.get_xlim()
    ax.set_xlim(left, max(right, 0.15 * (span or 1.0)))  # room for the labels of zero losses
    tidy(ax)
    return ax
