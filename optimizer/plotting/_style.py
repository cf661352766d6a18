"""What every chart shares: axis helpers and the colours of the three kinds of sector."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

FRONT, AIR, SEA = "#b2182b", "#2166ac", "#01665e"
GAIN, LOSS, NEUTRAL = "#2166ac", "#b2182b", "#8a8a8a"


def axis(ax: Axes | None, size: tuple[float, float] = (7.5, 4.5)) -> Axes:
    """``ax``, or the axis of a new figure of ``size`` inches."""
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def tidy(ax: Axes) -> None:
    """Light grid behind the data, no top and right frame lines."""
    ax.grid(True, axis="both", color="#e3e3dc", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)


def nothing_to_draw(ax: Axes, what: str) -> Axes:
    """Say so on the axis rather than draw an empty frame."""
    ax.text(
        0.5,
        0.5,
        f"no {what} to draw",
        ha="center",
        va="center",
        transform=ax.transAxes,
        color="#555555",
    )
    ax.set_xticks([])
    ax.set_yticks([])
    return ax
