"""A4: each nation's Shapley value of coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from optimizer.plotting._style import GAIN, LOSS, axis, nothing_to_draw, tidy


def plot_contributions(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Shapley value per nation (shapley.csv: ``nation``, ``value``; ``stderr`` drawn as an
    error bar when sampled, 0 or absent when exact), largest on top.
    """
    ax = axis(ax)
    if table.empty or not {"nation", "value"} <= set(table.columns):
        return nothing_to_draw(ax, "contributions")
    value = pd.to_numeric(table["value"], errors="coerce").fillna(0).to_numpy()
    stderr = (
        pd.to_numeric(table["stderr"], errors="coerce").fillna(0).to_numpy()
        if "stderr" in table
        else np.zeros(len(table))
    )
    order = np.argsort(-value, kind="stable")[::-1]
    y = np.arange(len(order))
    ax.barh(
        y,
        value[order],
        xerr=np.where(stderr[order] > 0, 1.96 * stderr[order], 0),
        color=[GAIN if v >= 0 else LOSS for v in value[order]],
        height=0.65,
        error_kw={"elinewidth": 0.8, "capsize": 2},
    )
    for yi, v in zip(y, value[order], strict=True):
        ax.annotate(
            f"{v:.3g}",
            (v, yi),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=6.5,
        )
    ax.set_yticks(y, [str(table["nation"].iloc[i]) for i in order], fontsize=7.5)
    ax.axvline(0, color="#1a1a1a", linewidth=0.8)
    sampled = bool((stderr > 0).any())
    ax.set_xlabel(
        "Shapley value: share of the objective"
        + (" (bars: 95 % interval of the sample)" if sampled else " (exact)"),
        fontsize=9,
    )
    ax.set_title(
        "Each nation's contribution (Shapley value, re-optimised coalitions)",
        fontsize=10,
        loc="left",
    )
    ax.margins(x=0.12)
    tidy(ax)
    return ax
