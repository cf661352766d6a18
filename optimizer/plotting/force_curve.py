"""S4: coverage against the size of the whole force."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from optimizer.plotting._style import AIR, FRONT, SEA, axis, nothing_to_draw, tidy


def plot_force_curve(table: pd.DataFrame, ax: Axes | None = None, x: str = "force_pct") -> Axes:
    """Front %, airspace % and sea % against ``x`` (s4_force_curve.csv: ``force_pct``, the share
    of every pool's units offered; or any numeric column, e.g. a swept field). Each point is a
    re-optimised solve; plateaus show where more of everything stops helping.
    """
    ax = axis(ax)
    if table.empty or x not in table.columns:
        return nothing_to_draw(ax, "force levels")
    rows = table.assign(_x=pd.to_numeric(table[x], errors="coerce")).dropna(subset=["_x"])
    rows = rows.sort_values("_x")
    for column, scale, label, color, marker in (
        ("front_pct", 1.0, "front miles covered (%)", FRONT, "o"),
        ("air_coverage", 100.0, "airspace, weighted (%)", AIR, "s"),
        ("sea_coverage", 100.0, "sea lanes, weighted (%)", SEA, "^"),
    ):
        if column in rows:
            values = pd.to_numeric(rows[column], errors="coerce") * scale
            ax.plot(
                rows["_x"],
                values,
                marker=marker,
                color=color,
                label=label,
                linewidth=1.6,
                markersize=4,
            )
    if "capped_by" in rows:
        front = pd.to_numeric(
            rows.get("front_pct", pd.Series(0, index=rows.index)), errors="coerce"
        ).fillna(0)
        for x_value, y_value, cap in zip(rows["_x"], front, rows["capped_by"], strict=True):
            if isinstance(cap, str) and cap.strip():
                ax.annotate(
                    f"plateau: {cap}",
                    (x_value, y_value),
                    xytext=(0, -14),
                    textcoords="offset points",
                    ha="center",
                    fontsize=6.5,
                    color="#555555",
                    arrowprops={"arrowstyle": "-", "color": "#999999"},
                )
    ax.set_ylim(-3, 105)
    ax.set_xlabel("force offered (% of every pool's units)" if x == "force_pct" else x, fontsize=9)
    ax.set_ylabel("coverage (%)", fontsize=9)
    ax.set_title("Coverage against force level (each point re-optimised)", fontsize=10, loc="left")
    ax.legend(fontsize=7.5, frameon=False, loc="upper left")
    tidy(ax)
    return ax
