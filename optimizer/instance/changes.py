"""Typed instance changes: one field set to one value, the typed form of ``--set PATH=VALUE``.

Override strings are parsed once, at the edge (the command line, a stored run record), into
:class:`Change` objects; inside the library a variant of an instance is always made from
changes (``Instance.with_pool(...)`` and its siblings build them too). A change is applied to
the instance's plain data by the very rule ``--set`` uses (lists indexed by position or by
element id, :func:`optimizer.instance.reader.set_path`) and the result is validated as a file
would be, so ``inst.with_pool("UK-Typhoon", units=30)`` equals the instance read with
``--set pools.UK-Typhoon.units=30``, and a bad value is an :class:`InstanceError` naming the
field.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optimizer.instance.reader import (
    LIST_FIELDS,
    InstanceError,
    SideFile,
    inline_side_files,
    parse_override,
    set_path,
    validate,
)

if TYPE_CHECKING:
    from optimizer.instance.schema import Instance


@dataclass(frozen=True)
class Change:
    """Set the field at ``path`` (segments: keys, list positions or element ids) to ``value``.

    ``text`` keeps the ``PATH=VALUE`` a change was parsed from, so records and tables show
    what the user wrote; it takes no part in equality.
    """

    path: tuple[str, ...]
    value: Any
    text: str | None = field(default=None, compare=False)

    @classmethod
    def parse(cls, item: str) -> Change:
        """The change ``--set item`` makes (value read as YAML); InstanceError if malformed."""
        parts, value = parse_override(item)
        return cls(parts, value, item.strip())

    @classmethod
    def at(cls, path: str, value: Any) -> Change:
        """The change of the dotted ``path`` (as written after ``--set``) to ``value``."""
        parts = tuple(p for p in path.split(".") if p)
        if not parts:
            raise InstanceError("--set", path, "expected a field path")
        return cls(parts, value)

    @property
    def dotted(self) -> str:
        """The path as ``--set`` writes it: ``pools.UK-Typhoon.units``."""
        return ".".join(self.path)

    def apply(self, data: dict[str, Any]) -> tuple[str, ...]:
        """Apply to plain instance data (``Instance.model_dump(mode="json")``), in place;
        returns the field's path with list elements by position."""
        return set_path(data, self.path, _plain(self.value))

    def __str__(self) -> str:
        return self.text if self.text is not None else f"{self.dotted}={render(self.value)}"


def parse_changes(items: Iterable[str]) -> tuple[Change, ...]:
    """``--set`` strings to changes (at the edge: command line, run record)."""
    return tuple(Change.parse(item) for item in items)


def apply_changes(
    data: dict[str, Any],
    changes: Iterable[Change],
    source: str | Path,
    origins: dict[str, SideFile] | None = None,
) -> Instance:
    """Validate ``data`` with ``changes`` applied; ``data`` itself is left as it was.

    Only the top-level fields the changes touch are copied (the rest is shared), so a variant
    of a large instance costs what its changes touch. ``source`` names the instance in errors
    (and is the folder side files are read from); ``origins`` says which list came from which
    CSV file. As with ``--set``, a whole list replaced forgets its side file, and a list set to
    a CSV file name is read at once, so later changes reach into its records.
    """
    changes = tuple(changes)
    data = dict(data)
    origins = dict(origins or {})
    path = Path(source)
    for top in {c.path[0] for c in changes}:
        if top in data:
            data[top] = copy.deepcopy(data[top])
    overridden: dict[tuple[str, ...], str] = {}  # errors in these values name the --set item
    for change in changes:
        try:
            where = change.apply(data)
        except InstanceError as exc:
            if change.text is not None:  # written as --set: the message says so
                raise
            raise InstanceError(source, exc.path, exc.message) from None
        if change.text is not None:
            overridden[where] = change.text
        if len(change.path) == 1 and change.path[0] in LIST_FIELDS:
            origins.pop(change.path[0], None)
            inline_side_files(data, path, origins)
            if change.path[0] in origins:  # a side file: its rows are to blame
                overridden.pop(where, None)
    return validate(data, path, origins, overridden)


def changed(instance: Instance, changes: Iterable[Change]) -> Instance:
    """``instance`` with ``changes`` applied and validated (InstanceError naming the field)."""
    return apply_changes(instance.model_dump(mode="json"), changes, label(instance))


def without_nation(instance: Instance, nation_id: str) -> Instance:
    """``instance`` without the nation ``nation_id`` and every pool it offers.

    Uncertainty ranges of the removed nation and pools are dropped; ranges that address a
    remaining one by position are renumbered. Raises InstanceError when no nation has that id.
    """
    if nation_id not in {n.id for n in instance.nations}:
        raise InstanceError(label(instance), "nations", f"no nation with id {nation_id!r}")
    data = instance.model_dump(mode="json")
    before = {field: [r["id"] for r in data[field]] for field in ("nations", "pools")}
    data["nations"] = [n for n in data["nations"] if n["id"] != nation_id]
    data["pools"] = [p for p in data["pools"] if p["nation"] != nation_id]
    after = {field: {r["id"]: i for i, r in enumerate(data[field])} for field in before}
    uncertainty = {}
    for path, value in data.get("uncertainty", {}).items():
        moved = _renumbered(path.split("."), before, after)
        if moved is not None:
            uncertainty[moved] = value
    data["uncertainty"] = uncertainty
    return validate(data, Path(label(instance)))


def _renumbered(
    parts: list[str], before: dict[str, list[str]], after: dict[str, dict[str, int]]
) -> str | None:
    """A path after records were removed: None if its record is gone, positions renumbered."""
    if len(parts) < 2 or parts[0] not in before:
        return ".".join(parts)
    ids, segment = before[parts[0]], parts[1]
    if segment.lstrip("-").isdigit():
        if not -len(ids) <= int(segment) < len(ids):
            return ".".join(parts)  # it named nothing before either: validation says so
        record = ids[int(segment)]
        if record not in after[parts[0]]:
            return None
        return ".".join([parts[0], str(after[parts[0]][record]), *parts[2:]])
    return ".".join(parts) if segment in after[parts[0]] or segment not in ids else None


def label(instance: Instance) -> str:
    """How errors name an instance held in memory."""
    return f"instance {instance.name}"


def render(value: Any) -> str:
    """A value as ``--set`` would read it back: ``30``, ``0.5``, ``none``, ``true``."""
    value = _plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".12g")
    if isinstance(value, int | str):
        return str(value)
    return json.dumps(value)  # lists and mappings: JSON is YAML's flow style


def _plain(value: Any) -> Any:
    """Enums, tuples and records to the plain data a file would hold."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(_plain(k)): _plain(v) for k, v in value.items()}
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json")
    return value
