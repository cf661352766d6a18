"""R1: coverage along the contact line, sector by sector, bars as wide as the sector is long."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from optimizer.plotting._style import axis, nothing_to_draw, tidy


def plot_sector_coverage(table: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Coverage (0-1) of each front sector in its order along the line, each bar as wide as the
    sector's length in miles (sectors.csv of a run: ``sector``, ``kind``, ``order``, ``length``,
    ``coverage``; ``binding`` names what limits a sector below full coverage).
    """
    from optimizer.plotting.map import COVERAGE_CMAP

    ax = axis(ax, (7.5, 3.2))
    front = (
        table[table.get("kind", pd.Series(dtype=str)).astype(str) == "front"]
        if "kind" in table
        else table.iloc[0:0]
    )
    if front.empty or not {"sector", "coverage"} <= set(front.columns):
        return nothing_to_draw(ax, "front sectors")
    if "order" in front:
        front = front.assign(_o=pd.to_numeric(front["order"], errors="coerce")).sort_values("_o")
    length = (
        pd.to_numeric(front["length"], errors="coerce").fillna(1).to_numpy()
        if "length" in front
        else np.ones(len(front))
    )
    coverage = pd.to_numeric(front["coverage"], errors="coerce").fillna(0).clip(0, 1).to_numpy()
    left = np.concatenate([[0.0], np.cumsum(length)[:-1]])
    ax.bar(  # each sector's extent, so that an uncovered sector still shows
        left,
        np.ones(len(left)),
        width=length,
        align="edge",
        facecolor="#f3f3ee",
        edgecolor="#c8c8c0",
        linewidth=0.6,
    )
    ax.bar(
        left,
        coverage,
        width=length,
        align="edge",
        color=COVERAGE_CMAP(coverage),
        edgecolor="white",
        linewidth=0.8,
    )
    binding = front["binding"].fillna("").astype(str).to_numpy() if "binding" in front else None
    for i, (x, w, c) in enumerate(zip(left, length, coverage, strict=True)):
        ax.text(
            x + w / 2,
            1.02,
            str(front["sector"].iloc[i]),
            ha="center",
            va="bottom",
            fontsize=6.5,
            rotation=90 if w < 45 else 0,
        )
        if binding is not None and c < 1 - 1e-9 and binding[i]:
            ax.text(
                x + w / 2,
                0.02,
                binding[i],
                ha="center",
                va="bottom",
                fontsize=6,
                rotation=90,
                color="#1a1a1a",
            )
    ax.set_xlim(0, float(left[-1] + length[-1]))
    ax.set_ylim(0, 1.25)
    ax.set_xlabel("miles along the contact line (sector order)", fontsize=9)
    ax.set_ylabel("coverage (0-1)", fontsize=9)
    ax.set_title(
        "Front coverage along the line (label at the foot: what limits the sector)",
        fontsize=10,
        loc="left",
    )
    tidy(ax)
    return ax
