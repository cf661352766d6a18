"""The instance vocabulary (SPEC 2): validated, immutable records.

Every record is a frozen pydantic model that rejects unknown fields, so a typo in a file is an
error, not a silently ignored key. Variants are made with ``Instance.replace`` /
``model_copy(update=...)``; validation of cross references (a pool naming a base that does not
exist, duplicate ids) happens once, in :class:`Instance`.

Units are part of the field names: ``_km`` for great-circle kilometres, ``length_mi`` for front
sectors (statute miles), ``length_nm`` for sea lanes (nautical miles), ``_t`` for tonnes.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

MAX_COUNT = 1_000_000  # units, stations at a post: beyond any real force
MAX_QUANTITY = 1e12  # any other number: far beyond real data, well inside solver numerics
RATIO_RANGE = (1e-3, 1e6)  # requirements, sustainment ratios, effectiveness, weights


def _not_bool(value: object) -> object:
    """``true`` is not a number: YAML booleans are refused where a number is expected."""
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    return value


NoBool = BeforeValidator(_not_bool)
NonNegInt = Annotated[int, NoBool, Field(ge=0, le=MAX_COUNT)]
NonNeg = Annotated[float, NoBool, Field(ge=0, le=MAX_QUANTITY, allow_inf_nan=False)]
Positive = Annotated[float, NoBool, Field(gt=0, le=MAX_QUANTITY, allow_inf_nan=False)]
Ratio = Annotated[float, NoBool, Field(ge=RATIO_RANGE[0], le=RATIO_RANGE[1], allow_inf_nan=False)]
Weight = Annotated[float, NoBool, Field(ge=0, le=RATIO_RANGE[1], allow_inf_nan=False)]
Identifier = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:\-]+$")]
Latitude = Annotated[float, NoBool, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, NoBool, Field(ge=-180, le=180, allow_inf_nan=False)]
Text = Annotated[str, Field(max_length=2000)]


class Record(BaseModel):
    """Base of every instance record: frozen, strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class SectorKind(StrEnum):
    FRONT = "front"
    AIR = "air"
    SEA = "sea"


class USLevel(StrEnum):
    """US participation, ordered: none < enablers_only < full."""

    NONE = "none"
    ENABLERS_ONLY = "enablers_only"
    FULL = "full"

    @property
    def rank(self) -> int:
        return _US_RANK[self]


_US_RANK = {USLevel.NONE: 0, USLevel.ENABLERS_ONLY: 1, USLevel.FULL: 2}


class Straits(StrEnum):
    MONTREUX = "montreux"
    CLOSED = "closed"


class Objective(StrEnum):
    MAX_COVERAGE = "max-coverage"  # O1
    MIN_COST = "min-cost"  # O2
    MAX_MIN = "max-min"  # O3
    MIN_UNITS = "min-units"  # O2 with the fewest units (the smallest force) instead of cost

    @property
    def minimises(self) -> bool:
        """O2-type objectives: the smallest plan that meets the targets."""
        return self in (Objective.MIN_COST, Objective.MIN_UNITS)


class CoverageMode(StrEnum):
    PARTIAL = "partial"
    THRESHOLD = "threshold"


AssetClass = Literal["aircraft", "ships", "training"]


class Capability(Record):
    """A kind of station: a patrol, an escort, a training team, or an enabler."""

    id: Identifier
    asset_class: AssetClass
    enabler: bool = False
    description: Text = ""


DEFAULT_CAPABILITIES: tuple[Capability, ...] = (
    Capability(id="air_patrol", asset_class="aircraft", description="24/7 fighter CAP station"),
    Capability(id="naval_escort", asset_class="ships", description="escort leg or patrol box"),
    Capability(id="training", asset_class="training", description="training/advisory team"),
    Capability(id="tanker", asset_class="aircraft", enabler=True, description="AAR orbit"),
    Capability(id="aew", asset_class="aircraft", enabler=True, description="AEW&C orbit"),
    Capability(id="isr", asset_class="aircraft", enabler=True, description="ISR orbit"),
)


class Sector(Record):
    """Something worth protecting: a stretch of front, an airspace cell or a sea-lane leg."""

    id: Identifier
    kind: SectorKind
    name: Text = ""
    lat: Latitude
    lon: Longitude
    start: tuple[Latitude, Longitude] | None = None
    end: tuple[Latitude, Longitude] | None = None
    length_mi: Positive | None = None
    length_nm: Positive | None = None
    area_km2: Positive | None = None
    weight: Weight = 1.0
    requirements: dict[Identifier, Ratio] = Field(min_length=1)
    order: int | None = None
    target: Annotated[float, Field(ge=0, le=1)] | None = None
    monthly_transits: NonNeg | None = None
    source: Text = ""

    @model_validator(mode="after")
    def _units_match_kind(self) -> Sector:
        if self.kind is SectorKind.FRONT:
            if self.length_nm is not None:
                raise ValueError("front sectors are measured in statute miles: use length_mi")
            if self.length_mi is None:
                raise ValueError("front sectors need length_mi (miles of contact line)")
            if self.order is None:
                raise ValueError("front sectors need order (position along the line)")
        elif self.kind is SectorKind.SEA:
            if self.length_mi is not None:
                raise ValueError("sea sectors are measured in nautical miles: use length_nm")
            if self.length_nm is None:
                raise ValueError("sea sectors need length_nm (nautical miles of lane)")
        elif self.length_mi is not None or self.length_nm is not None:
            raise ValueError("air sectors have no length; give area_km2 if anything")
        return self


class Station(Record):
    """A candidate post where one unit of a capability operates."""

    id: Identifier
    capability: Identifier
    name: Text = ""
    lat: Latitude
    lon: Longitude
    radius_km: NonNeg = 0.0
    covers: tuple[Identifier, ...] | None = None
    inside_ukraine: bool = False
    in_black_sea: bool = False
    front_distance_km: NonNeg | None = None
    max_stations: NonNegInt = 1
    escalation_risk: NonNeg = 0.0
    cost: NonNeg = 0.0  # cost of operating this post, added to the pool's cost_per_station
    source: Text = ""


class Base(Record):
    """An air base, port or training ground the pools operate from."""

    id: Identifier
    name: Text = ""
    country: Annotated[str, Field(min_length=2, max_length=3)]
    lat: Latitude
    lon: Longitude
    capacity: dict[Identifier, NonNeg] = Field(default_factory=dict)
    source: Text = ""

    @property
    def inside_ukraine(self) -> bool:
        return self.country.upper() in ("UA", "UKR")


class Nation(Record):
    id: Identifier
    name: Text = ""
    littoral: bool = False
    accepts_presence_in_ukraine: bool = True
    requires_us_backstop: bool = False
    accepts_robust_roe: bool = False
    source: Text = ""


class Pool(Record):
    """What one nation offers of one asset type."""

    id: Identifier
    nation: Identifier
    capability: Identifier
    name: Text = ""
    units: NonNegInt
    units_per_station: Ratio = 1.0
    effectiveness: Ratio = 1.0
    bases: tuple[Identifier, ...] = Field(min_length=1)
    radius_km: Positive | None = None
    extended_radius_km: Positive | None = None
    cost_per_station: NonNeg = 0.0
    ship_tonnage_t: NonNeg = 0.0
    supports_stations: NonNeg = 0.0
    min_us_level: USLevel | None = None
    source: Text = ""

    @model_validator(mode="after")
    def _radii_ordered(self) -> Pool:
        if self.extended_radius_km is not None:
            if self.radius_km is None:
                raise ValueError("extended_radius_km needs radius_km (the unrefuelled radius)")
            if self.extended_radius_km < self.radius_km:
                raise ValueError("extended_radius_km must be at least radius_km")
        return self


CONSTRAINT_FAMILIES = ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11")


class Montreux(Record):
    aggregate_t: NonNeg = 45_000.0
    per_nation_t: NonNeg = 30_000.0


Share = Annotated[float, NoBool, Field(ge=0, le=1, allow_inf_nan=False)]


class AggregateTargets(Record):
    """A5: targets on totals, as shares of what is possible for each kind of sector.

    ``front_miles``: covered miles of front / all miles of front; ``air`` and ``sea``: weighted
    coverage points of that kind / its possible points. They hold under every objective.
    """

    front_miles: Share | None = None
    air: Share | None = None
    sea: Share | None = None

    def items(self) -> list[tuple[str, float]]:
        return [(k, v) for k, v in self.model_dump().items() if v is not None]


class Scenario(Record):
    """The switches of one analysis (SPEC 2, last row)."""

    name: Text = "baseline"
    us_participation: USLevel = USLevel.FULL
    us_nation: Identifier = "US"
    straits: Straits = Straits.MONTREUX
    objective: Objective = Objective.MAX_COVERAGE
    coverage_mode: CoverageMode = CoverageMode.PARTIAL
    budget: NonNeg | None = None
    us_share_max: Annotated[float, Field(ge=0, le=1)] | None = None
    roe_distance_km: NonNeg = 0.0
    escalation_budget: NonNeg | None = None
    montreux: Montreux = Montreux()
    targets: dict[SectorKind, Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=dict)
    kind_weights: dict[SectorKind, Weight] = Field(default_factory=dict)
    constraints: dict[str, bool] = Field(default_factory=dict)
    coverage_threshold: Annotated[float, Field(gt=0, le=1)] = 0.5
    tie_break: bool = True
    aggregate_targets: AggregateTargets = AggregateTargets()

    @field_validator("constraints")
    @classmethod
    def _known_families(cls, value: dict[str, bool]) -> dict[str, bool]:
        unknown = sorted(set(value) - set(CONSTRAINT_FAMILIES))
        if unknown:
            raise ValueError(f"unknown constraint family {unknown}; expected C1..C11")
        return value

    def enabled(self, family: str) -> bool:
        return self.constraints.get(family, True)

    def kind_weight(self, kind: SectorKind) -> float:
        return self.kind_weights.get(kind, 1.0)


class Route(Record):
    """A2: a shipping route, its sea legs in sailing order and the transits that sail it."""

    id: Identifier
    name: Text = ""
    legs: tuple[Identifier, ...] = Field(min_length=1)
    monthly_transits: NonNeg
    source: Annotated[str, Field(min_length=1, max_length=2000)]


class UncertainRange(Record):
    """A7: the plausible range of one number of the instance, addressed by its ``--set`` path.

    ``mode`` is the most likely value (triangular draws); None means the nominal value.
    """

    low: Annotated[float, NoBool, Field(allow_inf_nan=False)]
    high: Annotated[float, NoBool, Field(allow_inf_nan=False)]
    source: Annotated[str, Field(min_length=1, max_length=2000)]
    mode: Annotated[float, NoBool, Field(allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> UncertainRange:
        if self.low > self.high:
            raise ValueError(f"expected low <= high, got low {self.low:g} > high {self.high:g}")
        if self.mode is not None and not self.low <= self.mode <= self.high:
            raise ValueError(f"expected low <= mode <= high, got mode {self.mode:g}")
        return self


class Instance(Record):
    """A whole problem: what is offered, where it can go, what it protects."""

    name: Identifier
    description: Text = ""
    capabilities: tuple[Capability, ...] = DEFAULT_CAPABILITIES
    nations: tuple[Nation, ...] = Field(min_length=1)
    bases: tuple[Base, ...] = Field(min_length=1)
    sectors: tuple[Sector, ...] = Field(min_length=1)
    stations: tuple[Station, ...] = Field(min_length=1)
    pools: tuple[Pool, ...] = Field(min_length=1)
    scenario: Scenario = Scenario()
    sources: dict[str, Text] = Field(default_factory=dict)
    routes: tuple[Route, ...] = ()
    uncertainty: dict[str, UncertainRange] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _references_resolve(self) -> Instance:
        for field in ("capabilities", "nations", "bases", "sectors", "stations", "pools"):
            _check_unique(field, getattr(self, field))
        caps = {c.id for c in self.capabilities}
        nations = {n.id for n in self.nations}
        bases = {b.id for b in self.bases}
        sectors = {s.id for s in self.sectors}
        for i, sector in enumerate(self.sectors):
            for cap in sector.requirements:
                _expect(cap in caps, f"sectors.{i}.requirements.{cap}", "a declared capability")
            _check_line(i, sector)
        for i, station in enumerate(self.stations):
            _expect(station.capability in caps, f"stations.{i}.capability", "a declared capability")
            for j, sid in enumerate(station.covers or ()):
                _expect(sid in sectors, f"stations.{i}.covers.{j}", "an existing sector id")
        for i, base in enumerate(self.bases):
            for cls in base.capacity:
                _expect(
                    cls in ("aircraft", "ships", "training"),
                    f"bases.{i}.capacity.{cls}",
                    "an asset class: aircraft, ships or training",
                )
        for i, pool in enumerate(self.pools):
            _expect(pool.nation in nations, f"pools.{i}.nation", "an existing nation id")
            _expect(pool.capability in caps, f"pools.{i}.capability", "a declared capability")
            for j, bid in enumerate(pool.bases):
                _expect(bid in bases, f"pools.{i}.bases.{j}", "an existing base id")
        _check_unique("routes", self.routes)
        sea = {s.id for s in self.sectors if s.kind is SectorKind.SEA}
        for i, route in enumerate(self.routes):
            for j, sid in enumerate(route.legs):
                _expect(sid in sea, f"routes.{i}.legs.{j}", "the id of a sea sector")
            _expect(len(set(route.legs)) == len(route.legs), f"routes.{i}.legs", "no leg twice")
        for path in self.uncertainty:
            value = resolve_path(self, path)
            _expect(
                isinstance(value, int | float) and not isinstance(value, bool),
                f"uncertainty.{path}",
                "a path (as for --set) to a number of this instance",
            )
        return self

    # Lookups used everywhere; cheap enough to rebuild on demand.
    def capability(self, cap_id: str) -> Capability:
        return next(c for c in self.capabilities if c.id == cap_id)

    def nation(self, nation_id: str) -> Nation:
        return next(n for n in self.nations if n.id == nation_id)

    def replace(self, **changes: object) -> Instance:
        """A validated variant of this instance (``dataclasses.replace`` for records)."""
        data = self.model_dump(mode="python")
        data.update(changes)
        return Instance.model_validate(data)

    def with_scenario(self, **changes: object) -> Instance:
        scenario = self.scenario.model_dump(mode="python")
        scenario.update(changes)
        return self.replace(scenario=scenario)


def resolve_path(record: object, path: str) -> object:
    """The value at a ``--set`` style path (lists by position or element id), None if absent."""
    node: object = record
    for part in path.split("."):
        if isinstance(node, BaseModel):
            if part not in type(node).model_fields:
                return None
            node = getattr(node, part)
        elif isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, tuple | list):
            # as optimizer.instance.reader.list_index: a position first, else an element's id
            if part.lstrip("-").isdigit():
                if not -len(node) <= int(part) < len(node):
                    return None
                node = node[int(part)]
            else:
                ids = [str(getattr(item, "id", None)) for item in node]
                if part not in ids:
                    return None
                node = node[ids.index(part)]
        else:
            return None
    return node


class ReferenceError_(ValueError):
    """A cross-reference or uniqueness failure, located by a dotted path."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.detail = message


def _expect(ok: bool, path: str, expected: str) -> None:
    if not ok:
        raise ReferenceError_(path, f"expected {expected}")


def _check_unique(field: str, records: tuple[Record, ...]) -> None:
    seen: dict[str, int] = {}
    for i, record in enumerate(records):
        rid = record.id  # type: ignore[attr-defined]
        if rid in seen:
            raise ReferenceError_(
                f"{field}.{i}.id", f"duplicate id {rid!r} (first at {field}.{seen[rid]})"
            )
        seen[rid] = i


def _check_line(i: int, sector: Sector) -> None:
    """Impossible geography: a front stretch shorter than the straight line between its ends."""
    if sector.start is None or sector.end is None or sector.length_mi is None:
        return
    from optimizer.instance.geometry import KM_PER_MILE, haversine_km

    straight_mi = float(haversine_km(*sector.start, *sector.end)) / KM_PER_MILE
    if sector.length_mi < straight_mi * 0.99 - 0.5:
        raise ReferenceError_(
            f"sectors.{i}.length_mi",
            f"expected at least the straight distance between start and end "
            f"({straight_mi:.1f} mi), got {sector.length_mi:g}",
        )
    if not math.isfinite(straight_mi):
        raise ReferenceError_(f"sectors.{i}.start", "expected finite coordinates")
