"""Field paths and value lists on the command line: ``PATH=VALUES`` for sweeps and tables.

A path is the one ``--set`` understands (:func:`optimizer.instance.reader.apply_override`):
mappings by key, lists by position or element id (``pools.UK-Typhoon.units``). Values stay
text (what a sweep table records, so a case's parameters can be matched on resume) until a
case is made: then each becomes a typed :class:`~optimizer.instance.changes.Change`, its
text read as YAML exactly like ``--set``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from optimizer.instance.changes import Change
from optimizer.instance.reader import list_index

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*:\s*({_NUMBER})\s*(?::\s*({_NUMBER})\s*)?$")
MAX_VALUES = 100_000


class ParameterError(ValueError):
    """A malformed ``PATH=VALUES`` item (CLI exit code 2)."""


@dataclass(frozen=True)
class Vary:
    """One varied field: its path and the values (as text) it takes."""

    path: str
    values: tuple[str, ...]

    def change(self, value: str) -> Change:
        """The typed change that sets this field to ``value`` (read as YAML, like --set)."""
        return Change.parse(f"{self.path}={value}")


def split_item(item: str, what: str = "PATH=VALUES") -> tuple[str, str]:
    """``'a.b=c'`` -> ``('a.b', 'c')``, rejecting an empty path or value."""
    if "=" not in item:
        raise ParameterError(f"{item!r}: expected {what}")
    path, value = item.split("=", 1)
    path, value = path.strip(), value.strip()
    if not path or any(not part for part in path.split(".")):
        raise ParameterError(f"{item!r}: expected a field path before '=' (e.g. pools.X.units)")
    if not value:
        raise ParameterError(f"{item!r}: expected a value after '='")
    return path, value


def parse_values(text: str) -> tuple[str, ...]:
    """``'0:12:2'`` (start:stop[:step], stop included) or a comma list ``'a,b,c'``."""
    match = _RANGE.match(text)
    if match:
        return _range(text, *match.groups())
    values = tuple(v.strip() for v in text.split(","))
    if any(not v for v in values):
        raise ParameterError(f"{text!r}: empty value in the comma list")
    return values


def parse_vary(item: str) -> Vary:
    path, text = split_item(item)
    return Vary(path, parse_values(text))


def parse_pair(item: str) -> tuple[str, str, str]:
    """``PATH=LOW,HIGH`` for a tornado row."""
    path, text = split_item(item, "PATH=LOW,HIGH")
    values = [v.strip() for v in text.split(",")]
    if len(values) != 2 or not all(values):
        raise ParameterError(f"{item!r}: expected PATH=LOW,HIGH (two values)")
    return path, values[0], values[1]


def format_number(value: float) -> str:
    """Shortest faithful text: ``2`` not ``2.0``, ``0.1`` not ``0.1000000001``."""
    if math.isfinite(value) and abs(value - round(value)) < 1e-9 and abs(value) < 1e15:
        return str(round(value))
    return format(value, ".12g")


def get_path(data: Any, path: str) -> Any:
    """The value at ``path`` in raw instance data, or None when the path is absent."""
    node = data
    for part in path.split("."):
        if isinstance(node, dict):
            if part not in node:
                return None
            node = node[part]
        elif isinstance(node, list):
            index = list_index(node, part)
            if index is None:
                return None
            node = node[index]
        else:
            return None
    return node


def canonical_path(data: Any, path: str) -> str:
    """``path`` with every list segment written as a position, so that two spellings of one
    field (``pools.0.units``, ``pools.UK-Typhoon.units``) compare equal."""
    node: Any = data
    parts = []
    for part in path.split("."):
        if isinstance(node, list):
            index = list_index(node, part)
            if index is not None:
                index %= len(node)  # -1 and the last position are the same element
                part, node = str(index), node[index]
            else:
                node = None
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            node = None
        parts.append(part)
    return ".".join(parts)


def check_distinct(varies: tuple[Vary, ...] | list[Vary], data: Any) -> None:
    """Refuse two ``--vary`` of one field: the grid would silently keep only one of them."""
    seen: dict[str, str] = {}
    for vary in varies:
        key = canonical_path(data, vary.path)
        if key in seen:
            raise ParameterError(
                f"{vary.path!r} varies the same field as {seen[key]!r}: give its values once"
            )
        seen[key] = vary.path


def _range(text: str, start_s: str, stop_s: str, step_s: str | None) -> tuple[str, ...]:
    start, stop = float(start_s), float(stop_s)
    step = float(step_s) if step_s is not None else (1.0 if stop >= start else -1.0)
    if step == 0 or (stop - start) * step < 0:
        raise ParameterError(f"{text!r}: the step must move from start towards stop")
    count = math.floor((stop - start) / step + 1e-9) + 1
    if count > MAX_VALUES:
        raise ParameterError(f"{text!r}: {count} values; the limit is {MAX_VALUES}")
    return tuple(format_number(start + i * step) for i in range(count))
