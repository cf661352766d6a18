"""A6: the trade-off frontier between two kinds of coverage."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from optimizer.plotting._style import AIR, axis, nothing_to_draw, tidy

#: Column pairs looked for, in this order, when the caller names none.
CANDIDATES = (
    ("front_miles_covered", "air_coverage"),
    ("front_pct", "air_coverage"),
    ("front", "air"),
    ("front_points", "air_points"),
    ("cost", "objective"),
    ("budget", "objective"),
)


def frontier_axes(table: pd.DataFrame) -> tuple[str, str] | None:
    """The pair of columns to draw: a known pair, else the first two numeric columns."""
    for x, y in CANDIDATES:
        if x in table.columns and y in table.columns:
            return x, y
    numeric = [
        c
        for c in table.columns
        if pd.api.types.is_numeric_dtype(table[c]) and c not in ("point", "case", "k", "seconds")
    ]
    return (numeric[0], numeric[1]) if len(numeric) >= 2 else None


def plot_frontier(
    table: pd.DataFrame,
    ax: Axes | None = None,
    x: str | None = None,
    y: str | None = None,
    title: str = "Trade-off frontier (each point a proven solve)",
) -> Axes:
    """Pareto points of ``y`` against ``x`` (frontier.csv; by default a known pair such as
    ``front_miles_covered`` and ``air_coverage``), joined in order of ``x``.
    """
    ax = axis(ax)
    pair = (x, y) if x and y else frontier_axes(table)
    if table.empty or pair is None or not set(pair) <= set(table.columns):
        return nothing_to_draw(ax, "frontier points")
    xs = pd.to_numeric(table[pair[0]], errors="coerce")
    ys = pd.to_numeric(table[pair[1]], errors="coerce")
    order = xs.sort_values().index
    ax.plot(xs[order], ys[order], color=AIR, linewidth=1.2, alpha=0.6)
    ax.scatter(xs, ys, color=AIR, s=22, zorder=3)
    ax.set_xlabel(pair[0].replace("_", " "), fontsize=9)
    ax.set_ylabel(pair[1].replace("_", " "), fontsize=9)
    ax.set_title(title, fontsize=10, loc="left")
    tidy(ax)
    return ax
