"""Instances: the data of a problem, its validation, and the readers that produce it."""

from optimizer.instance.reader import InstanceError, content_hash, load_instance
from optimizer.instance.schema import (
    Base,
    Capability,
    CoverageMode,
    Instance,
    Nation,
    Objective,
    Pool,
    Scenario,
    Sector,
    SectorKind,
    Station,
    Straits,
    USLevel,
)

__all__ = [
    "Base",
    "Capability",
    "CoverageMode",
    "Instance",
    "InstanceError",
    "Nation",
    "Objective",
    "Pool",
    "Scenario",
    "Sector",
    "SectorKind",
    "Station",
    "Straits",
    "USLevel",
    "content_hash",
    "load_instance",
]
