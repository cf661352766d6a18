"""Pictures of plans and analyses: one function per chart, each drawing on a matplotlib axis.

Every function takes the data (a :class:`MapData` or the folder's table as a DataFrame) and an
optional axis, draws, and returns the axis; none calls ``show()`` or ``savefig()``.
"""

from optimizer.plotting.contributions import plot_contributions
from optimizer.plotting.differences import plot_compare_differences
from optimizer.plotting.force_curve import plot_force_curve
from optimizer.plotting.frontier import plot_frontier
from optimizer.plotting.map import (
    MapBase,
    MapData,
    MapHostile,
    MapLink,
    MapRing,
    MapSector,
    MapStation,
    plot_map,
)
from optimizer.plotting.marginal_values import plot_marginal_values
from optimizer.plotting.quantiles import plot_quantiles
from optimizer.plotting.sector_coverage import plot_sector_coverage
from optimizer.plotting.strike_curve import plot_strike_curve
from optimizer.plotting.tornado import plot_tornado
from optimizer.plotting.us_dependency import plot_us_dependency
from optimizer.plotting.us_levels import plot_us_levels
from optimizer.plotting.withdrawals import plot_withdrawals

__all__ = [
    "MapBase",
    "MapData",
    "MapHostile",
    "MapLink",
    "MapRing",
    "MapSector",
    "MapStation",
    "plot_compare_differences",
    "plot_contributions",
    "plot_force_curve",
    "plot_frontier",
    "plot_map",
    "plot_marginal_values",
    "plot_quantiles",
    "plot_sector_coverage",
    "plot_strike_curve",
    "plot_tornado",
    "plot_us_dependency",
    "plot_us_levels",
    "plot_withdrawals",
]
