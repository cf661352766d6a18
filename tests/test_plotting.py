"""Each plot function against a stored baseline image (matplotlib's image comparison).

Inputs are small and hand-made, fonts are matplotlib's own DejaVu Sans without hinting, the
style is matplotlib's default and the DPI fixed, so the same matplotlib draws the same pixels.
``POSTURE_UPDATE_BASELINES=1`` writes missing or changed baselines instead of comparing (then
look at them before committing).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import matplotlib
import matplotlib.testing
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.testing.compare import compare_images

from optimizer.plotting import (
    MapBase,
    MapData,
    MapHostile,
    MapLink,
    MapRing,
    MapSector,
    MapStation,
    plot_compare_differences,
    plot_contributions,
    plot_force_curve,
    plot_frontier,
    plot_map,
    plot_marginal_values,
    plot_quantiles,
    plot_sector_coverage,
    plot_strike_curve,
    plot_tornado,
    plot_us_dependency,
    plot_us_levels,
    plot_withdrawals,
)

BASELINES = Path(__file__).parent / "baseline_images"
TOLERANCE = 3.0  # RMS of pixel differences (0-255) that still counts as the same picture
DPI = 72


@pytest.fixture(autouse=True)
def fixed_style() -> Iterator[None]:
    """Matplotlib's test settings: Agg, DejaVu Sans without hinting, default style."""
    matplotlib.testing.setup()
    with (
        matplotlib.style.context("default"),
        matplotlib.rc_context({"font.family": "DejaVu Sans", "text.hinting": "none"}),
    ):
        yield


def draw(plot: Callable[[Axes], Axes], size: tuple[float, float] = (7.5, 4.5)) -> Figure:
    figure = Figure(figsize=size)
    returned = plot(figure.subplots())
    assert returned is figure.axes[0]  # the function draws on the axis it is given
    return figure


def check(figure: Figure, name: str, tmp_path: Path) -> None:
    actual = tmp_path / f"{name}.png"
    figure.savefig(actual, dpi=DPI, bbox_inches="tight")
    expected = BASELINES / f"{name}.png"
    if os.environ.get("POSTURE_UPDATE_BASELINES"):
        shutil.copyfile(actual, expected)
        return
    assert expected.is_file(), f"no baseline {expected} (POSTURE_UPDATE_BASELINES=1 writes it)"
    difference = compare_images(str(expected), str(actual), TOLERANCE)
    assert difference is None, difference


# -- hand-made inputs ------------------------------------------------------------------------


def small_map(front_coverage: tuple[float, float, float] = (0.0, 0.5, 1.0)) -> MapData:
    """Three front sectors east of Dnipro, one sea leg, two airspace sectors, two bases."""
    front = [
        MapSector(
            "F1", "front", "south", 35.0, 47.4, front_coverage[0], (34.6, 47.2), (35.4, 47.6), 1
        ),
        MapSector(
            "F2", "front", "middle", 35.9, 48.0, front_coverage[1], (35.4, 47.6), (36.4, 48.4), 2
        ),
        MapSector(
            "F3", "front", "north", 36.8, 48.9, front_coverage[2], (36.4, 48.4), (37.2, 49.4), 3
        ),
    ]
    other = [
        MapSector("SEA-L1", "sea", "leg", 30.6, 46.2, 0.75, (30.75, 46.5), (30.5, 45.9)),
        MapSector("AIR-KYIV", "air", "Kyiv", 30.5, 50.4, 1.0),
        MapSector("AIR-DNIPRO", "air", "Dnipro", 35.0, 48.45, 0.25),
    ]
    return MapData(
        title="test: US full, straits montreux",
        subtitle="optimal · front 60 of 120 mi",
        sectors=tuple(front + other),
        stations=(
            MapStation("CAP-KYIV", "air_patrol", "CAP Kyiv", 30.5, 50.4, 2),
            MapStation("AEW-W", "aew", "AEW west", 28.7, 50.3, 1),
            MapStation("ESC-L1", "naval_escort", "escort", 30.6, 46.2, 1),
            MapStation("ISR-E", "isr", "ISR east", 35.4, 49.4, 0),
        ),
        bases=(
            MapBase("EPRZ", "Rzeszow", "PL", 22.0, 50.1, 14, 20),
            MapBase("LRCK", "Kogalniceanu", "RO", 28.5, 44.4, 9, 36),
            MapBase("ETNG", "Geilenkirchen", "DE", 6.0, 50.96, 5, 14),
        ),
        links=(
            MapLink("EPRZ", "CAP-KYIV", "air_patrol", 2),
            MapLink("ETNG", "AEW-W", "aew", 1),
            MapLink("LRCK", "ESC-L1", "naval_escort", 1),
        ),
        rings=(MapRing(22.0, 50.1, 610.0, "F-16 from EPRZ"),),
        roe_distance_km=100.0,
        standoff_km={"aew, isr": 150.0},
        hostile=(
            MapHostile("RU-BORDER", ((37.5, 50.3), (38.6, 49.9), (39.6, 49.1)), True),
            MapHostile("CRIMEA", ((33.6, 45.1),), False),
        ),
    )


S1 = pd.DataFrame(
    {
        "us_participation": ["full", "none", "enablers_only"],
        "front_pct": [65.8, 51.7, 64.3],
        "air_coverage": [0.797, 0.549, 0.582],
        "sea_coverage": [0.932, 0.932, 0.932],
    }
)
TORNADO = pd.DataFrame(
    {
        "field": ["pools.UK.units", "scenario.roe_distance_km", "pools.FR.units"],
        "low": [6, 0, 7],
        "high": [24, 150, 21],
        "obj_change_low": [-17.7, 17.7, -8.9],
        "obj_change_high": [6.0, -14.8, 3.0],
        "swing": [23.7, 32.5, 11.9],
    }
)
FORCE = pd.DataFrame(
    {
        "capped_by": ["", "", "", "ISR pools", "", ""],
        "force_pct": [0, 25, 50, 75, 100, 125],
        "front_pct": [0, 0, 31.7, 31.7, 65.8, 80.1],
        "air_coverage": [0, 0, 0.37, 0.49, 0.80, 0.92],
        "sea_coverage": [0, 0, 0.54, 0.93, 0.93, 0.93],
    }
)
MARGINAL = pd.DataFrame(
    {
        "pool": ["FR-RAFALE", "UK-TYPHOON", "US-F35", "NL-F35"],
        "obj_change_plus_1_station": [5.98, 5.98, 2.0, 2.0],
        "obj_change_minus_1_station": [-8.87, -8.87, -2.5, 0.0],
    }
)
DIFFERENCES = pd.DataFrame(
    {
        "sector": ["AIR-KYIV", "F03", "F04", "SEA-L2"],
        "kind": ["air", "front", "front", "sea"],
        "change": [-0.667, -0.5, -0.5, 0.25],
        "length_change": [0.0, -26.9, -30.7, 0.0],
    }
)
SECTORS = pd.DataFrame(
    {
        "sector": ["F01", "F02", "F03", "F04", "AIR-KYIV"],
        "kind": ["front", "front", "front", "front", "air"],
        "order": [1, 2, 3, 4, None],
        "length": [64.8, 53.9, 53.9, 30.0, 0.0],
        "coverage": [0.0, 0.4, 1.0, 0.75, 1.0],
        "binding": ["air_patrol", "air_patrol", "", "isr", ""],
    }
)
US_DEPENDENCY = pd.DataFrame(
    {
        "counterfactual": ["us_level", "us_level", "static", "us_capability"],
        "withdrawn": ["enablers_only", "none", "US stations", "ISR"],
        "front_points_lost": [1.1, 11.0, 17.0, 9.4],
        "air_points_lost": [17.0, 19.6, 47.0, 0.0],
        "sea_points_lost": [0.0, 0.0, 6.6, 0.0],
        "front_miles_lost": [11.4, 109.7, 169.6, 93.6],
    }
)
SHAPLEY = pd.DataFrame(
    {
        "nation": ["US", "UK", "FR", "PL"],
        "value": [40.2, 30.1, 25.0, -0.5],
        "stderr": [0.0, 1.5, 0.0, 0.2],
    }
)
WORST = pd.DataFrame(
    {
        "k": [0, 1, 2, 3],
        "objective": [159.3, 131.0, 110.5, 95.2],
        "removed": ["", "LRCK", "LRCK EPLK", "LRCK EPLK EPRZ"],
    }
)
FRONTIER = pd.DataFrame(
    {
        "front_miles_covered": [300.0, 420.0, 511.0, 600.0],
        "air_coverage": [0.95, 0.88, 0.80, 0.61],
    }
)
NATIONS = pd.DataFrame(
    {
        "nation": ["US", "UK", "RO", "IT"],
        "obj_change_without_nation": [-26.4, -25.1, -3.3, 0.0],
        "front_miles_change_without_nation": [-98.4, -167.7, 0.0, 0.0],
    }
)
QUANTILES = pd.DataFrame(
    {
        "figure": ["objective", "front_miles_covered", "air_coverage"],
        "p10": [140.0, 420.0, 0.70],
        "p50": [155.0, 500.0, 0.78],
        "p90": [162.0, 560.0, 0.82],
    }
)

CHARTS: dict[str, tuple[Callable[[Axes], Axes], tuple[float, float]]] = {
    "us_levels": (lambda ax: plot_us_levels(S1, ax), (7.5, 4.5)),
    "tornado": (lambda ax: plot_tornado(TORNADO, ax), (7.5, 3.0)),
    "force_curve": (lambda ax: plot_force_curve(FORCE, ax), (7.5, 4.5)),
    "marginal_values": (lambda ax: plot_marginal_values(MARGINAL, ax), (7.5, 3.2)),
    "compare_differences": (
        lambda ax: plot_compare_differences(DIFFERENCES, ax, "run-a", "run-b"),
        (7.5, 3.2),
    ),
    "sector_coverage": (lambda ax: plot_sector_coverage(SECTORS, ax), (7.5, 3.2)),
    "us_dependency": (lambda ax: plot_us_dependency(US_DEPENDENCY, ax), (7.5, 3.2)),
    "contributions": (lambda ax: plot_contributions(SHAPLEY, ax), (7.5, 3.2)),
    "strike_curve": (lambda ax: plot_strike_curve(WORST, ax), (7.5, 4.0)),
    "frontier": (lambda ax: plot_frontier(FRONTIER, ax), (7.5, 4.0)),
    "quantiles": (lambda ax: plot_quantiles(QUANTILES, ax), (7.5, 3.0)),
    "withdrawals": (lambda ax: plot_withdrawals(NATIONS, ax), (7.5, 3.0)),
}


FUNCTIONS: dict[str, Callable[[pd.DataFrame, Axes], Axes]] = {
    "us_levels": plot_us_levels,
    "tornado": plot_tornado,
    "force_curve": plot_force_curve,
    "marginal_values": plot_marginal_values,
    "compare_differences": plot_compare_differences,
    "sector_coverage": plot_sector_coverage,
    "us_dependency": plot_us_dependency,
    "contributions": plot_contributions,
    "strike_curve": plot_strike_curve,
    "frontier": plot_frontier,
    "quantiles": plot_quantiles,
    "withdrawals": plot_withdrawals,
}


# -- tests -----------------------------------------------------------------------------------


def test_map(tmp_path: Path) -> None:
    """The map: basemap, coloured front and sea leg, airspace discs, bases, stations, links,
    ROE band, stand-off band around the line and hostile territory, reach ring, off-map base
    note, legend and colour bar."""
    check(draw(lambda ax: plot_map(small_map(), ax), (9.0, 6.5)), "map", tmp_path)


def test_map_comparison_sees_a_changed_coverage(tmp_path: Path) -> None:
    """The comparison is not blind: the same map with one sector's coverage changed differs."""
    figure = draw(lambda ax: plot_map(small_map((1.0, 0.5, 1.0)), ax), (9.0, 6.5))
    actual = tmp_path / "changed.png"
    figure.savefig(actual, dpi=DPI, bbox_inches="tight")
    assert compare_images(str(BASELINES / "map.png"), str(actual), TOLERANCE) is not None


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart(name: str, tmp_path: Path) -> None:
    """Each chart function draws its hand-made table as the stored baseline shows."""
    plot, size = CHARTS[name]
    check(draw(plot, size), name, tmp_path)


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_without_its_columns_says_so(name: str) -> None:
    """A table without the chart's columns gives a labelled empty axis, not an exception."""
    function = FUNCTIONS[name]
    figure = Figure()
    ax = function(pd.DataFrame({"unrelated": [1, 2]}), figure.subplots())
    assert [t.get_text() for t in ax.texts if t.get_text().startswith("no ")]
