"""S4/A7: the tornado of one-at-a-time changes, widest swing on top."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from optimizer.plotting._style import GAIN, LOSS, axis, nothing_to_draw, tidy


def plot_tornado(table: pd.DataFrame, ax: Axes | None = None, top: int = 15) -> Axes:
    """Objective change at each field's low and high value (s4_tornado.csv columns: ``field``,
    ``low``, ``high``, ``obj_change_low``, ``obj_change_high``; ``swing`` orders the bars when
    present). Each bar is a re-optimised solve; the axis is the objective's change from the base.
    """
    ax = axis(ax)
    needed = {"field", "obj_change_low", "obj_change_high"}
    if table.empty or not needed <= set(table.columns):
        return nothing_to_draw(ax, "tornado rows")
    rows = table.copy()
    low = pd.to_numeric(rows["obj_change_low"], errors="coerce").fillna(0)
    high = pd.to_numeric(rows["obj_change_high"], errors="coerce").fillna(0)
    swing = (
        pd.to_numeric(rows["swing"], errors="coerce").fillna(0)
        if "swing" in rows
        else (high - low).abs()
    )
    order = np.argsort(-swing.to_numpy(), kind="stable")[:top][::-1]
    y = np.arange(len(order))
    for value, side in ((low, "low"), (high, "high")):
        v = value.to_numpy()[order]
        ax.barh(
            y,
            v,
            color=[GAIN if d >= 0 else LOSS for d in v],
            height=0.6,
            alpha=0.9 if side == "high" else 0.55,
            edgecolor="white",
        )
        for yi, vi, text in zip(y, v, _labels(rows, side, order), strict=True):
            ax.annotate(
                text,
                (vi, yi),
                xytext=(3 if vi >= 0 else -3, 0),
                textcoords="offset points",
                ha="left" if vi >= 0 else "right",
                va="center",
                fontsize=6.5,
                color="#333333",
            )
    ax.axvline(0, color="#1a1a1a", linewidth=0.8)
    ax.set_yticks(y, [str(rows["field"].iloc[i]) for i in order], fontsize=7.5)
    ax.set_xlabel("change of objective from the base case (re-optimised)", fontsize=9)
    ax.set_title(
        "Tornado: one input at a time (pale: low value, dark: high value)", fontsize=10, loc="left"
    )
    ax.margins(x=0.25)
    tidy(ax)
    return ax


def _labels(rows: pd.DataFrame, side: str, order: np.ndarray) -> list[str]:
    if side not in rows:
        return [""] * len(order)
    return [f"{side} {rows[side].iloc[i]}" for i in order]
