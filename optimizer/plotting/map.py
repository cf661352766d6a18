"""V1: the plan on the theatre map.

:func:`plot_map` draws a :class:`MapData` (plain figures, no solver objects) on one matplotlib
axis: the basemap, the contact line sector by sector and the sea legs coloured by coverage,
airspace sectors as shaded discs around their centres, bases sized by the units they host,
stations by capability and sized by the posts placed there, base-to-station links weighted by
posts, and the reach, ROE and stand-off distances the instance states.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import Colormap, LinearSegmentedColormap, Normalize
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch, Polygon
from matplotlib.transforms import Bbox

from optimizer.plotting.basemap import load_basemap
from optimizer.plotting.geo import Projection, ring

#: Coverage 0 (nothing) to 1 (requirement met): red, amber, blue (readable with red-green
#: colour blindness; light in the middle so that half-covered stands apart from both ends).
COVERAGE_CMAP: Colormap = LinearSegmentedColormap.from_list(
    "coverage", ["#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"]
)

#: Marker and colour per capability; an unknown capability gets a grey circle.
CAPABILITY_STYLE: dict[str, tuple[str, str, str]] = {
    "air_patrol": ("^", "#1b2a6b", "fighter patrol (CAP)"),
    "aew": ("D", "#6a3d9a", "AEW orbit"),
    "isr": ("p", "#8c510a", "ISR orbit"),
    "tanker": ("h", "#1b7837", "tanker orbit"),
    "naval_escort": ("o", "#01665e", "naval escort box"),
    "training": ("*", "#7f3b08", "training site"),
}
OTHER_STYLE = ("o", "#555555", "other")
LAND, SEA, BORDER = "#ecebe4", "#d8e6ef", "#9a9a94"
UKRAINE = "#f6f5ef"
AIR_SECTOR_RADIUS_KM = 45.0  # drawing size of an airspace sector's disc, not its extent
THEATRE_MARGIN_KM = 550.0  # bases and stations farther than this from the sectors: off the map


@dataclass(frozen=True)
class MapSector:
    """A sector: front and sea sectors as segments (start, end), airspace as a point."""

    id: str
    kind: str
    name: str
    lon: float
    lat: float
    coverage: float
    start: tuple[float, float] | None = None  # (lon, lat)
    end: tuple[float, float] | None = None
    order: int | None = None


@dataclass(frozen=True)
class MapStation:
    id: str
    capability: str
    name: str
    lon: float
    lat: float
    placed: float = 0.0  # posts of any pool placed here


@dataclass(frozen=True)
class MapBase:
    id: str
    name: str
    country: str
    lon: float
    lat: float
    load: float = 0.0  # units stationed
    capacity: float = 0.0


@dataclass(frozen=True)
class MapLink:
    base: str
    station: str
    capability: str
    stations: float


@dataclass(frozen=True)
class MapRing:
    """A distance drawn around a point: a pool's reach from a base, for instance."""

    lon: float
    lat: float
    radius_km: float
    label: str


@dataclass(frozen=True)
class MapHostile:
    """Hostile territory to keep stand-off from: a border or coast (line) or separate points."""

    id: str
    points: tuple[tuple[float, float], ...]  # (lon, lat)
    line: bool = True
    name: str = ""


@dataclass(frozen=True)
class MapData:
    """What the map shows, in plain figures (degrees, km, coverage 0-1)."""

    title: str
    sectors: tuple[MapSector, ...]
    stations: tuple[MapStation, ...] = ()
    bases: tuple[MapBase, ...] = ()
    links: tuple[MapLink, ...] = ()
    subtitle: str = ""
    rings: tuple[MapRing, ...] = ()
    roe_distance_km: float = 0.0  # ROE band along the contact line (C9), 0 = none
    standoff_km: dict[str, float] = field(default_factory=dict)  # label -> km from the line
    hostile: tuple[MapHostile, ...] = ()  # stand-off is kept from these too


def plot_map(data: MapData, ax: Axes | None = None, show_unused: bool = True) -> Axes:
    """Draw ``data`` on ``ax`` (a new figure when None) and return the axis."""
    if ax is None:
        _, ax = plt.subplots(figsize=(11, 8.5))
    proj, box = _frame(data)
    x0, x1, y0, y1 = box
    ax.set_facecolor(SEA)
    _draw_basemap(ax, proj)
    front = _front_line(data, proj)
    _draw_bands(ax, data, front, proj)
    _draw_hostile(ax, data, proj)
    _draw_air(ax, data, proj)
    _draw_rings(ax, data, proj)
    _draw_links(ax, data, proj)
    segments = _draw_segments(ax, data, proj)
    _draw_bases(ax, data, proj, box)
    _draw_stations(ax, data, proj, box, show_unused)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    _scale_bar(ax, box)
    _title(ax, data)
    _off_map_note(ax, data, proj, box)
    mappable = ScalarMappable(norm=Normalize(0, 1), cmap=COVERAGE_CMAP)
    bar = ax.figure.colorbar(
        mappable, ax=ax, orientation="horizontal", fraction=0.035, pad=0.02, aspect=40
    )
    bar.set_label(
        "coverage of each sector's requirement (0 = none, 1 = fully met): "
        "contact line, sea legs, airspace discs",
        fontsize=8,
    )
    bar.ax.tick_params(labelsize=8)
    _legend(ax, data, segments)
    _declutter(ax)
    return ax


# -- framing ------------------------------------------------------------------------------


def _frame(data: MapData) -> tuple[Projection, tuple[float, float, float, float]]:
    lons = [s.lon for s in data.sectors] + [p for s in data.sectors for p in _ends_lon(s)]
    lats = [s.lat for s in data.sectors] + [p for s in data.sectors for p in _ends_lat(s)]
    proj = Projection(
        float(np.mean([min(lons), max(lons)])), float(np.mean([min(lats), max(lats)]))
    )
    xs, ys = proj.xy(lons, lats)
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    sectors_box = (x0, x1, y0, y1)
    for lon, lat in _theatre_points(data):
        x, y = proj.xy(lon, lat)
        if _outside((float(x), float(y)), sectors_box, THEATRE_MARGIN_KM):
            continue
        x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
    pad = 0.06 * max(x1 - x0, y1 - y0, 200.0)
    x0, x1, y0, y1 = x0 - pad, x1 + pad, y0 - pad, y1 + pad
    # a landscape-ish frame: widen the narrow side so the map is not a sliver
    width, height = x1 - x0, y1 - y0
    if width < 1.15 * height:
        extra = (1.15 * height - width) / 2
        x0, x1 = x0 - extra, x1 + extra
    return proj, (float(x0), float(x1), float(y0), float(y1))


def _ends_lon(s: MapSector) -> list[float]:
    return [p[0] for p in (s.start, s.end) if p is not None]


def _ends_lat(s: MapSector) -> list[float]:
    return [p[1] for p in (s.start, s.end) if p is not None]


def _theatre_points(data: MapData) -> list[tuple[float, float]]:
    used_bases = {link.base for link in data.links}
    points = [(b.lon, b.lat) for b in data.bases if b.id in used_bases or b.load > 0]
    points += [(s.lon, s.lat) for s in data.stations if s.placed > 0]
    return points


def _outside(
    point: tuple[float, float], box: tuple[float, float, float, float], margin: float
) -> bool:
    x, y = point
    x0, x1, y0, y1 = box
    return x < x0 - margin or x > x1 + margin or y < y0 - margin or y > y1 + margin


# -- layers ---------------------------------------------------------------------------------


def _draw_basemap(ax: Axes, proj: Projection) -> None:
    patches: list[Polygon] = []
    ukraine: list[Polygon] = []
    for name, rings in load_basemap():
        for outline in rings:
            lon, lat = zip(*outline, strict=True)
            x, y = proj.xy(lon, lat)
            patch = Polygon(np.column_stack([x, y]), closed=True)
            (ukraine if name == "Ukraine" else patches).append(patch)
    ax.add_collection(
        PatchCollection(patches, facecolor=LAND, edgecolor=BORDER, linewidth=0.5, zorder=0.5)
    )
    ax.add_collection(
        PatchCollection(ukraine, facecolor=UKRAINE, edgecolor="#6f6f68", linewidth=0.8, zorder=0.6)
    )


def _front_line(data: MapData, proj: Projection) -> np.ndarray | None:
    """The contact line as one projected polyline, sectors in their order along it."""
    front = [s for s in data.sectors if s.kind == "front"]
    if not front:
        return None
    front.sort(key=lambda s: (s.order if s.order is not None else 10**9, s.id))
    points: list[tuple[float, float]] = []
    for s in front:
        for p in (s.start, (s.lon, s.lat) if s.start is None else None, s.end):
            if p is not None and (not points or points[-1] != p):
                points.append(p)
    lon, lat = zip(*points, strict=True)
    x, y = proj.xy(lon, lat)
    return np.column_stack([x, y])


def _draw_bands(ax: Axes, data: MapData, front: np.ndarray | None, proj: Projection) -> None:
    """ROE band (C9) around the contact line; stand-off distances (F3) around the line and
    hostile territory, as buffers of those shapes in the map's km."""
    from shapely.geometry import LineString, MultiPoint, Point
    from shapely.geometry.base import BaseGeometry
    from shapely.ops import unary_union

    def shape(points: np.ndarray, line: bool) -> BaseGeometry:
        if line and len(points) > 1:
            return LineString(points)
        return Point(points[0]) if len(points) == 1 else MultiPoint(points)

    line = shape(front, True) if front is not None else None
    if line is not None and data.roe_distance_km > 0:
        _band(ax, line.buffer(data.roe_distance_km), fill=False, color="#7a0177", style=":")
    kept_from = [line] if line is not None else []
    for h in data.hostile:
        xs, ys = proj.xy([p[0] for p in h.points], [p[1] for p in h.points])
        kept_from.append(shape(np.column_stack([xs, ys]), h.line))
    if not kept_from:
        return
    zone = unary_union(kept_from)
    standoffs = sorted(data.standoff_km.items(), key=lambda kv: -kv[1])
    for i, (_, km) in enumerate(standoffs):
        if km > 0:
            alpha = 0.08 + 0.04 * i
            _band(ax, zone.buffer(km), fill=True, color="#d6604d", style="--", alpha=alpha)


def _draw_hostile(ax: Axes, data: MapData, proj: Projection) -> None:
    for h in data.hostile:
        xs, ys = proj.xy([p[0] for p in h.points], [p[1] for p in h.points])
        if h.line and len(h.points) > 1:
            ax.plot(xs, ys, color="#67001f", linewidth=1.4, linestyle="-.", zorder=2.5)
        else:
            ax.scatter(xs, ys, marker="x", s=30, color="#67001f", linewidth=1.2, zorder=2.5)


def _band(ax: Axes, shape: object, fill: bool, color: str, style: str, alpha: float = 1.0) -> None:
    for part in getattr(shape, "geoms", [shape]):
        xy = np.asarray(part.exterior.coords)
        ax.add_patch(
            Polygon(
                xy,
                closed=True,
                fill=fill,
                facecolor=color if fill else "none",
                alpha=alpha if fill else 0.9,
                edgecolor=color,
                linestyle=style,
                linewidth=1.0,
                zorder=1.2,
            )
        )


def _draw_air(ax: Axes, data: MapData, proj: Projection) -> None:
    for s in data.sectors:
        if s.kind != "air":
            continue
        x, y = proj.xy(s.lon, s.lat)
        ax.add_patch(
            Circle(
                (float(x), float(y)),
                AIR_SECTOR_RADIUS_KM,
                facecolor=COVERAGE_CMAP(_clip(s.coverage)),
                edgecolor="#4d4d4d",
                linewidth=0.6,
                alpha=0.8,
                zorder=1.5,
            )
        )
        ax.annotate(
            _short(s.id),
            (float(x), float(y) - AIR_SECTOR_RADIUS_KM),
            xytext=(0, -1),
            textcoords="offset points",
            gid="label-4",
            ha="center",
            va="top",
            fontsize=6,
            color="#333333",
            zorder=6,
        )


def _draw_rings(ax: Axes, data: MapData, proj: Projection) -> None:
    for r in data.rings:
        lon, lat = ring(r.lon, r.lat, r.radius_km)
        x, y = proj.xy(lon, lat)
        ax.plot(x, y, color="#525252", linewidth=0.7, linestyle=(0, (4, 3)), zorder=1.3)


def _draw_links(ax: Axes, data: MapData, proj: Projection) -> None:
    bases = {b.id: b for b in data.bases}
    stations = {s.id: s for s in data.stations}
    segments, widths, colors = [], [], []
    for link in data.links:
        b, s = bases.get(link.base), stations.get(link.station)
        if b is None or s is None:
            continue
        bx, by = proj.xy(b.lon, b.lat)
        sx, sy = proj.xy(s.lon, s.lat)
        segments.append([(float(bx), float(by)), (float(sx), float(sy))])
        widths.append(0.5 + 0.9 * link.stations)
        colors.append(_style(link.capability)[1])
    if segments:
        ax.add_collection(
            LineCollection(segments, linewidths=widths, colors=colors, alpha=0.35, zorder=2)
        )


def _draw_segments(ax: Axes, data: MapData, proj: Projection) -> set[str]:
    """Front sectors and sea legs as lines coloured by coverage; returns the kinds drawn."""
    drawn: set[str] = set()
    for kind, width, outline in (("front", 6.5, "#1a1a1a"), ("sea", 5.0, "#08306b")):
        segments, colors, labels = [], [], []
        for s in data.sectors:
            if s.kind != kind:
                continue
            if s.start is None or s.end is None:
                x, y = proj.xy(s.lon, s.lat)
                ax.scatter(
                    [x],
                    [y],
                    s=60,
                    c=[COVERAGE_CMAP(_clip(s.coverage))],
                    edgecolors=outline,
                    zorder=3,
                )
                labels.append((s, float(x), float(y)))
                drawn.add(kind)
                continue
            xs, ys = proj.xy([s.start[0], s.end[0]], [s.start[1], s.end[1]])
            segments.append(np.column_stack([xs, ys]))
            colors.append(COVERAGE_CMAP(_clip(s.coverage)))
            labels.append((s, float(xs.mean()), float(ys.mean())))
        if segments:
            ax.add_collection(
                LineCollection(
                    segments, linewidths=width + 2.0, colors=outline, zorder=2.8, capstyle="butt"
                )
            )
            ax.add_collection(
                LineCollection(
                    segments, linewidths=width, colors=colors, zorder=2.9, capstyle="butt"
                )
            )
            drawn.add(kind)
        for s, lx, ly in labels:
            ax.annotate(
                _short(s.id),
                (lx, ly),
                xytext=(7, 0) if kind == "front" else (-7, 0),
                textcoords="offset points",
                gid="label-1",
                ha="left" if kind == "front" else "right",
                va="center",
                fontsize=6.5,
                color="#1a1a1a" if kind == "front" else "#08306b",
                fontweight="bold",
                zorder=6,
            )
    return drawn


def _draw_bases(
    ax: Axes, data: MapData, proj: Projection, box: tuple[float, float, float, float]
) -> None:
    for b in data.bases:
        x, y = proj.xy(b.lon, b.lat)
        if _outside((float(x), float(y)), box, 0):
            continue
        used = b.load > 0
        ax.scatter(
            [x],
            [y],
            marker="s",
            s=18 + 6.0 * b.load if used else 14,
            facecolor="#3f3f3f" if used else "white",
            edgecolor="#1a1a1a",
            linewidth=0.7,
            zorder=4,
        )
        if used:
            cap = f"/{_amount(b.capacity)}" if b.capacity else ""
            ax.annotate(
                f"{b.id} {_amount(b.load)}{cap}",
                (float(x), float(y)),
                xytext=(0, -7),
                textcoords="offset points",
                gid="label-3",
                ha="center",
                va="top",
                fontsize=6.5,
                color="#1a1a1a",
                zorder=6,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
            )


def _draw_stations(
    ax: Axes,
    data: MapData,
    proj: Projection,
    box: tuple[float, float, float, float],
    show_unused: bool,
) -> None:
    for s in data.stations:
        x, y = proj.xy(s.lon, s.lat)
        if _outside((float(x), float(y)), box, 0):
            continue
        marker, color, _ = _style(s.capability)
        if s.placed > 0:
            ax.scatter(
                [x],
                [y],
                marker=marker,
                s=40 + 30 * s.placed,
                facecolor=color,
                edgecolor="white",
                linewidth=0.8,
                zorder=5,
            )
            ax.annotate(
                f"{s.placed:g}",
                (float(x), float(y)),
                xytext=(5, 4),
                textcoords="offset points",
                gid="label-2",
                fontsize=6.5,
                color=color,
                fontweight="bold",
                zorder=6,
            )
        elif show_unused:
            ax.scatter(
                [x],
                [y],
                marker=marker,
                s=16,
                facecolor="none",
                edgecolor="#8a8a8a",
                linewidth=0.6,
                zorder=3.5,
            )


# -- furniture ------------------------------------------------------------------------------


def _scale_bar(ax: Axes, box: tuple[float, float, float, float]) -> None:
    x0, x1, y0, y1 = box
    length = _nice(0.18 * (x1 - x0))
    x = x1 - 0.04 * (x1 - x0) - length
    y = y0 + 0.04 * (y1 - y0)
    ax.plot(
        [x, x + length], [y, y], color="#1a1a1a", linewidth=2.5, solid_capstyle="butt", zorder=7
    )
    ax.text(
        x + length / 2,
        y + 0.012 * (y1 - y0),
        f"{length:g} km",
        ha="center",
        va="bottom",
        fontsize=7.5,
        zorder=7,
    )


def _nice(value: float) -> float:
    exponent = 10 ** math.floor(math.log10(value))
    for step in (5, 2, 1):
        if step * exponent <= value:
            return float(step * exponent)
    return float(exponent)


def _title(ax: Axes, data: MapData) -> None:
    ax.set_title(
        data.title, loc="left", fontsize=12, fontweight="bold", pad=18 if data.subtitle else 6
    )
    if data.subtitle:
        ax.text(
            0.0,
            1.01,
            data.subtitle,
            transform=ax.transAxes,
            fontsize=8.5,
            va="bottom",
            ha="left",
            color="#333333",
        )


def _off_map_note(
    ax: Axes, data: MapData, proj: Projection, box: tuple[float, float, float, float]
) -> None:
    """Used bases and placed stations beyond the frame, listed so that nothing is hidden."""
    lines = []
    for b in data.bases:
        x, y = proj.xy(b.lon, b.lat)
        if b.load > 0 and _outside((float(x), float(y)), box, 0):
            cap = f" of {_amount(b.capacity)}" if b.capacity else ""
            lines.append(f"base {b.id} ({b.country}): {_amount(b.load)}{cap} units")
    for s in data.stations:
        x, y = proj.xy(s.lon, s.lat)
        if s.placed > 0 and _outside((float(x), float(y)), box, 0):
            lines.append(f"{_style(s.capability)[2]} {s.id}: {s.placed:g} posts")
    if lines:
        ax.text(
            1.015,
            0.0,
            "Off the map (links point toward them):\n" + "\n".join(lines),
            transform=ax.transAxes,
            fontsize=7,
            va="bottom",
            ha="left",
            zorder=8,
            bbox={"boxstyle": "round,pad=0.4", "fc": "white", "ec": "#9a9a94"},
        )


def _legend(ax: Axes, data: MapData, kinds: set[str]) -> None:
    handles: list[Line2D | Patch] = []
    if "front" in kinds:
        handles.append(Line2D([], [], color="#67a9cf", linewidth=5, label="contact line sector"))
    if "sea" in kinds:
        handles.append(Line2D([], [], color="#67a9cf", linewidth=4, label="sea lane leg"))
    if any(s.kind == "air" for s in data.sectors):
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markersize=9,
                markerfacecolor="#67a9cf",
                markeredgecolor="#4d4d4d",
                label="airspace sector (centre; fixed size)",
            )
        )
    if data.roe_distance_km > 0:
        handles.append(
            Patch(
                facecolor="none",
                edgecolor="#7a0177",
                linestyle=":",
                label=f"ROE band: {data.roe_distance_km:g} km of the line",
            )
        )
    if data.hostile:
        handles.append(
            Line2D(
                [],
                [],
                color="#67001f",
                linestyle="-.",
                linewidth=1.4,
                label="hostile territory (stand-off kept from it)",
            )
        )
    for label, km in sorted(data.standoff_km.items(), key=lambda kv: -kv[1]):
        if km > 0:
            handles.append(
                Patch(
                    facecolor="#d6604d",
                    alpha=0.25,
                    edgecolor="#d6604d",
                    linestyle="--",
                    label=f"stand-off {label}: {km:g} km",
                )
            )
    capabilities = _capabilities(data.stations)
    if capabilities:
        handles.append(
            Patch(
                facecolor="none",
                edgecolor="none",
                label="stations placed (size and number: posts):",
            )
        )
    for capability in capabilities:
        marker, color, label = _style(capability)
        handles.append(
            Line2D(
                [],
                [],
                marker=marker,
                linestyle="none",
                markersize=8,
                markerfacecolor=color,
                markeredgecolor="white",
                label=label,
            )
        )
    if any(s.placed == 0 for s in data.stations):
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markersize=5,
                markerfacecolor="none",
                markeredgecolor="#8a8a8a",
                label="candidate station, unused",
            )
        )
    if data.bases:
        handles.append(
            Line2D(
                [],
                [],
                marker="s",
                linestyle="none",
                markersize=8,
                markerfacecolor="#3f3f3f",
                markeredgecolor="#1a1a1a",
                label="base (size: units hosted; units/capacity)",
            )
        )
    if data.links:
        handles.append(
            Line2D(
                [],
                [],
                color="#555555",
                alpha=0.5,
                linewidth=2,
                label="base to station (width: posts)",
            )
        )
    if data.rings:
        handles.append(
            Line2D(
                [],
                [],
                color="#525252",
                linestyle=(0, (4, 3)),
                linewidth=0.8,
                label="reach (unrefuelled radius)",
            )
        )
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=7.5,
        frameon=False,
        borderaxespad=0.0,
    )


def _declutter(ax: Axes) -> None:
    """Hide labels that would overlap one drawn before them, in order of importance: sectors,
    posts at stations, bases, airspace sectors (the tables in the brief keep every figure)."""
    labels = sorted(
        (t for t in ax.texts if (t.get_gid() or "").startswith("label-")),
        key=lambda t: str(t.get_gid()),
    )
    kept: list[Bbox] = []
    canvas = ax.figure.canvas
    # one renderer for all labels: without it each extent re-renders the whole figure
    renderer = (
        canvas.get_renderer()
        if hasattr(canvas, "get_renderer")
        else ax.figure._get_renderer()  # type: ignore[union-attr]
    )
    for text in labels:
        box = text.get_window_extent(renderer).expanded(1.05, 1.1)
        if any(box.overlaps(other) for other in kept):
            text.set_visible(False)
        else:
            kept.append(box)


def _capabilities(stations: Sequence[MapStation]) -> list[str]:
    seen = {s.capability for s in stations if s.placed > 0}
    known = [c for c in CAPABILITY_STYLE if c in seen]
    return known + sorted(seen - set(known))


def _style(capability: str) -> tuple[str, str, str]:
    return CAPABILITY_STYLE.get(capability, (*OTHER_STYLE[:2], capability))


def _short(sector_id: str) -> str:
    for prefix in ("AIR-", "SEA-"):
        if sector_id.startswith(prefix):
            return sector_id[len(prefix) :]
    return sector_id


def _amount(value: float) -> str:
    """Units as a reader wants them: 12, 12.1 (not 12.0803: units from sortie rates)."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != round(value) else f"{value:.0f}"


def _clip(value: float) -> float:
    return 0.0 if not math.isfinite(value) else min(1.0, max(0.0, value))
