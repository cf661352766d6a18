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
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

if TYPE_CHECKING:
    from optimizer.instance.changes import Change

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
    trainees_per_month: Positive | None = None  # F5: training need, trained troops a month
    brigades_per_year: Positive | None = None  # F5: or brigades regenerated a year
    source: Text = ""

    @model_validator(mode="after")
    def _units_match_kind(self) -> Sector:
        if self.trainees_per_month is not None and self.brigades_per_year is not None:
            raise ValueError("give trainees_per_month or brigades_per_year, not both")
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


Availability = Annotated[float, NoBool, Field(gt=0, le=1, allow_inf_nan=False)]
Receptacle = Literal["boom", "probe"]
RefuellingSystem = Literal["boom", "drogue"]


class Sortie(Record):
    """F1: how a pool's aircraft keep one 24/7 orbit (see optimizer.model.sustainment).

    Per base-station distance d: transit d / cruise each way; time on station per sortie
    = endurance - 2 x transit; sorties a day = aircraft_per_orbit x 24 / time on station;
    aircraft = sorties a day x endurance / (flying_hours_per_day x availability).
    """

    endurance_h: Positive  # sortie length without air-to-air refuelling
    refuelled_endurance_h: Positive | None = None  # sortie length with tanker support
    cruise_kmh: Positive
    aircraft_per_orbit: Ratio = 1.0  # 2 for a fighter pair, 1 for AEW/ISR/tanker
    availability: Availability  # mission-capable rate (0, 1]
    flying_hours_per_day: Positive  # sustainable flying hours per aircraft per day
    cost_per_flying_hour: NonNeg = 0.0  # same money unit as cost_per_station
    min_time_on_station_h: Positive = 0.5  # floor: a shorter time on station is not admissible
    aar_fuel_t: NonNeg = 0.0  # F2: fuel one aircraft takes from a tanker per refuelled sortie

    @model_validator(mode="after")
    def _endurance_ordered(self) -> Sortie:
        if self.endurance_h <= self.min_time_on_station_h:
            raise ValueError(
                f"endurance_h {self.endurance_h:g} h leaves no time on station: expected more "
                f"than min_time_on_station_h {self.min_time_on_station_h:g} h"
            )
        if self.refuelled_endurance_h is not None and (
            self.refuelled_endurance_h < self.endurance_h
        ):
            raise ValueError("refuelled_endurance_h must be at least endurance_h")
        return self


class Voyage(Record):
    """F1 for ships: a cycle of transit, days on station and days in port.

    Days on station per deployment = stay_days - 2 x transit days (distance / speed); for a
    non-littoral warship at a Black Sea station under Montreux, the stay is at most
    ``scenario.montreux.max_stay_days`` counted from the Bosporus entry. Ships per station =
    (stay_days + port_days) / days on station / availability.
    """

    speed_kn: Positive
    stay_days: Positive  # days at sea per deployment (endurance, logistics)
    port_days: NonNeg = 0.0  # days in port (or out of the Black Sea) between deployments
    availability: Availability = 1.0
    cost_per_day: NonNeg = 0.0  # per ship-day at sea, same money unit as cost_per_station
    min_days_on_station: Positive = 1.0


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
    sortie: Sortie | None = None  # F1: units per station from distance (aircraft)
    voyage: Voyage | None = None  # F1: units per station from distance (ships)
    receptacle: Receptacle | None = None  # F2: how this pool's aircraft take fuel
    refuelling: tuple[RefuellingSystem, ...] = ()  # F2 tanker pools: systems offered
    offload_t_per_day: NonNeg | None = None  # F2 tanker pools: fuel one orbit gives a day
    support_radius_km: NonNeg | None = None  # F2 tanker pools: orbit-to-receiver distance
    trainees_per_month: NonNeg | None = None  # F5 training pools: output of one station
    source: Text = ""

    @model_validator(mode="after")
    def _radii_ordered(self) -> Pool:
        if self.receptacle is not None and (self.sortie is None or self.sortie.aar_fuel_t <= 0):
            raise ValueError(
                "a pool with a receptacle (F2) needs sortie.aar_fuel_t > 0: the fuel one "
                "aircraft takes per refuelled sortie"
            )
        if self.offload_t_per_day is not None and not self.refuelling:
            raise ValueError("offload_t_per_day needs refuelling: [boom] and/or [drogue]")
        if self.sortie is not None and self.voyage is not None:
            raise ValueError("give sortie (aircraft) or voyage (ships), not both")
        if (self.sortie or self.voyage) and self.units_per_station != 1.0:
            raise ValueError(
                "units_per_station is computed from sortie/voyage: give one or the other"
            )
        if self.sortie is not None and self.radius_km is not None:
            s = self.sortie
            needed = 2 * self.radius_km / s.cruise_kmh + s.min_time_on_station_h
            if s.endurance_h < needed - 1e-9:
                raise ValueError(
                    f"sortie.endurance_h {s.endurance_h:g} h is shorter than the round trip to "
                    f"radius_km plus the minimum time on station: expected at least "
                    f"{needed:.3g} h (2 x {self.radius_km:g} km / {s.cruise_kmh:g} km/h + "
                    f"{s.min_time_on_station_h:g} h)"
                )
            if self.extended_radius_km is not None and self.extended_radius_km > self.radius_km:
                longest = s.refuelled_endurance_h or s.endurance_h
                needed = 2 * self.extended_radius_km / s.cruise_kmh + s.min_time_on_station_h
                if longest < needed - 1e-9:
                    raise ValueError(
                        f"sortie.refuelled_endurance_h {longest:g} h is shorter than the round "
                        f"trip to extended_radius_km plus the minimum time on station: expected "
                        f"at least {needed:.3g} h"
                    )
        if self.extended_radius_km is not None:
            if self.radius_km is None:
                raise ValueError("extended_radius_km needs radius_km (the unrefuelled radius)")
            if self.extended_radius_km < self.radius_km:
                raise ValueError("extended_radius_km must be at least radius_km")
        return self


FIXED_FAMILIES = ("C5",)  # part of the model's definition, not a switchable policy
CONSTRAINT_FAMILIES = ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11")


class Montreux(Record):
    aggregate_t: NonNeg = 45_000.0
    per_nation_t: NonNeg = 30_000.0
    max_stay_days: Positive = 21.0  # F1: non-littoral warships' stay in the Black Sea
    entry: tuple[Latitude, Longitude] = (41.23, 29.12)  # Bosporus north entrance (facts 3.1)


class USShareBasis(StrEnum):
    """F4: what C8 counts as the US share."""

    UNITS = "units"
    STATIONS = "stations"
    COST = "cost"
    CAPABILITY = "capability"


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
    us_share_basis: USShareBasis = USShareBasis.UNITS  # F4
    brigade_strength: Positive = 3000.0  # F5: troops per brigade (facts 8 E, mechanised)
    cost_period_days: Positive = 30.4375  # F1: days the money figures cover (a month)
    standoff_km: dict[Identifier, NonNeg] = Field(default_factory=dict)  # F3, by capability
    escalation_range_km: dict[Identifier, Positive] = Field(default_factory=dict)  # F3

    @field_validator("constraints")
    @classmethod
    def _known_families(cls, value: dict[str, bool]) -> dict[str, bool]:
        unknown = sorted(set(value) - set(CONSTRAINT_FAMILIES))
        if unknown:
            raise ValueError(f"unknown constraint family {unknown}; expected C1..C11")
        fixed = sorted(f for f in FIXED_FAMILIES if value.get(f) is False)
        if fixed:  # accepted and ignored would be worse than refused
            raise ValueError(
                f"{', '.join(fixed)} cannot be switched off: C5 is what links stations to "
                "coverage (without it nothing is covered or everything is)"
            )
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


class Hostile(Record):
    """F3: hostile territory as a line (border, coast) or a set of points, in order."""

    id: Identifier
    name: Text = ""
    points: tuple[tuple[Latitude, Longitude], ...] = Field(min_length=1)
    line: bool = True  # consecutive points are joined (a border); false: separate points
    source: Text = ""


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
    hostile: tuple[Hostile, ...] = ()  # F3: borders and coasts to keep stand-off from
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
        _check_operations(self, caps)
        _check_training(self)
        _check_us_nation(self, nations)
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

    # Typed changes (optimizer.instance.changes): each equals the matching --set, validated
    # like a file (InstanceError naming the field), and returns a new instance.
    def with_scenario(self, **fields: object) -> Instance:
        """This instance with scenario fields changed: ``with_scenario(straits="closed")``."""
        return self._with_fields(("scenario",), fields)

    def with_pool(self, pool_id: str, **fields: object) -> Instance:
        """This instance with fields of one pool changed: ``with_pool("UK-Typhoon", units=30)``."""
        return self._with_fields(("pools", pool_id), fields)

    def with_base(self, base_id: str, **fields: object) -> Instance:
        """This instance with fields of one base changed (``capacity``, ``lat`` ...)."""
        return self._with_fields(("bases", base_id), fields)

    def with_nation(self, nation_id: str, **fields: object) -> Instance:
        """This instance with fields of one nation changed (``requires_us_backstop`` ...)."""
        return self._with_fields(("nations", nation_id), fields)

    def with_sector(self, sector_id: str, **fields: object) -> Instance:
        """This instance with fields of one sector changed (``weight``, ``requirements`` ...)."""
        return self._with_fields(("sectors", sector_id), fields)

    def without_nation(self, nation_id: str) -> Instance:
        """This instance without the nation and every pool it offers."""
        from optimizer.instance.changes import without_nation

        return without_nation(self, nation_id)

    def with_changes(self, *changes: Change) -> Instance:
        """This instance with :class:`~optimizer.instance.changes.Change` objects applied."""
        from optimizer.instance.changes import changed

        return changed(self, changes)

    def _with_fields(self, where: tuple[str, ...], fields: dict[str, object]) -> Instance:
        from optimizer.instance.changes import Change, changed

        return changed(self, [Change((*where, name), value) for name, value in fields.items()])


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


_RECEIVES = {"boom": "boom", "probe": "drogue"}


def _check_operations(instance: Instance, caps: set[str]) -> None:
    """F2: receptacles some tanker serves; F3: stand-offs of known capabilities, in the theatre."""
    offered = {system for p in instance.pools for system in p.refuelling}
    for i, pool in enumerate(instance.pools):
        if pool.receptacle is not None:
            system = _RECEIVES[pool.receptacle]
            _expect(
                system in offered,
                f"pools.{i}.receptacle",
                f"a receptacle some tanker pool serves: {pool.receptacle} needs a tanker pool "
                f"with refuelling [{system}], and none offers it",
            )
    sc = instance.scenario
    for field in ("standoff_km", "escalation_range_km"):
        for cap in getattr(sc, field):
            _expect(cap in caps, f"scenario.{field}.{cap}", "a declared capability")
    if sc.standoff_km:
        extent = _theatre_extent(instance)
        for cap, km in sc.standoff_km.items():
            _expect(
                km <= extent,
                f"scenario.standoff_km.{cap}",
                f"a stand-off within the theatre (at most {extent:.0f} km, the greatest distance "
                f"between its bases, stations and sectors), got {km:g}",
            )


def _check_us_nation(instance: Instance, nations: set[str]) -> None:
    """C7/C8 act on the pools of ``scenario.us_nation``: a name no nation has, given instead
    of the default, would switch them off in silence (``--set scenario.us_nation=USA`` once
    gave 29.1 for 10.6). The default ``US`` may be absent: an instance without the US."""
    sc = instance.scenario
    if sc.us_nation != "US":
        _expect(sc.us_nation in nations, "scenario.us_nation", "an existing nation id")


def _check_training(instance: Instance) -> None:
    """F5: a training need is met in trainees, so every training pool must state its output."""
    needy = [
        i
        for i, s in enumerate(instance.sectors)
        if s.trainees_per_month is not None or s.brigades_per_year is not None
    ]
    if not needy:
        return
    for i in needy:
        _expect(
            "training" in instance.sectors[i].requirements,
            f"sectors.{i}.requirements",
            "a training requirement where a training need is given",
        )
    for i, pool in enumerate(instance.pools):
        if pool.capability == "training":
            _expect(
                pool.trainees_per_month is not None,
                f"pools.{i}.trainees_per_month",
                "the trainees a month one station of this training pool turns out (sectors "
                "state their training need in trainees)",
            )


def _theatre_extent(instance: Instance) -> float:
    """Greatest great-circle distance between two of the instance's bases, stations, sectors
    (beyond 2,000 points, twice the greatest distance from the first: an upper bound)."""
    import numpy as np

    from optimizer.instance.geometry import haversine_km

    groups = (instance.bases, instance.stations, instance.sectors)
    lat = np.array([r.lat for group in groups for r in group])
    lon = np.array([r.lon for group in groups for r in group])
    if len(lat) > 2000:
        return 2.0 * float(haversine_km(lat[0], lon[0], lat, lon).max())
    d = haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    return float(d.max())


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
