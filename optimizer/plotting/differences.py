"""A8: what changed between two runs, sector by sector."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from optimizer.plotting._style import GAIN, LOSS, axis, nothing_to_draw, tidy


def plot_compare_differences(
    table: pd.DataFrame, ax: Axes | None = None, a: str = "A", b: str = "B", top: int = 25
) -> Axes:
    """Coverage change (B - A) of each changed sector (compare's sectors.csv: ``sector``,
    ``kind``, ``change``); front sectors also show the change in miles when ``length_change``
    is present. Largest changes on top.
    """
    ax = axis(ax)
    if table.empty or not {"sector", "change"} <= set(table.columns):
        return nothing_to_draw(ax, "sector differences")
    change = pd.to_numeric(table["change"], errors="coerce").fillna(0).to_numpy()
    order = np.argsort(-np.abs(change), kind="stable")[:top][::-1]
    y = np.arange(len(order))
    values = change[order]
    ax.barh(y, values, color=[GAIN if v >= 0 else LOSS for v in values], height=0.65)
    miles = (
        pd.to_numeric(table["length_change"], errors="coerce").to_numpy()
        if "length_change" in table
        else np.full(len(table), np.nan)
    )
    for yi, i in zip(y, order, strict=True):
        if np.isfinite(miles[i]) and miles[i] != 0:
            ax.annotate(
                f"{miles[i]:+.0f} mi",
                (change[i], yi),
                xytext=(3 if change[i] >= 0 else -3, 0),
                textcoords="offset points",
                ha="left" if change[i] >= 0 else "right",
                va="center",
                fontsize=6.5,
            )
    kinds = table["kind"].astype(str).to_numpy() if "kind" in table else [""] * len(table)
    ax.set_yticks(y, [f"{table['sector'].iloc[i]} ({kinds[i]})" for i in order], fontsize=7.5)
    ax.axvline(0, color="#1a1a1a", linewidth=0.8)
    ax.set_xlim(-1.15, 1.15)
    ax.set_xlabel(f"coverage change, {b} minus {a} (fraction of the requirement)", fontsize=9)
    ax.set_title(f"Sectors whose coverage changed: {b} against {a}", fontsize=10, loc="left")
    tidy(ax)
    return ax
