"""Size limits: very large inputs are refused with a clear message before they exhaust memory.

Five limits, each raised with an environment variable (a positive whole number):

- file size, ``POSTURE_MAX_FILE_BYTES``: bytes of one instance or side file;
- values in a file, ``POSTURE_MAX_VALUES``: parsed YAML/TOML values, aliases expanded;
- records per list, ``POSTURE_MAX_RECORDS``: sectors, stations, pools ... (each list apart);
- candidate triples, ``POSTURE_MAX_TRIPLES``: (pool, base, station) combinations of matching
  capability, before range and politics filter them (what the model first builds);
- model nonzeros, ``POSTURE_MAX_NONZEROS``: estimated matrix coefficients, before building
  (checked by :mod:`optimizer.model.limits`, which knows the model's arrays).

Every refusal is an :class:`~optimizer.instance.reader.InstanceError` (CLI exit code 2) that
names the variable to raise.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from optimizer.instance.schema import Instance

DEFAULTS = {
    "POSTURE_MAX_FILE_BYTES": 64 * 1024 * 1024,
    "POSTURE_MAX_VALUES": 5_000_000,
    "POSTURE_MAX_RECORDS": 200_000,
    "POSTURE_MAX_TRIPLES": 10_000_000,
    "POSTURE_MAX_NONZEROS": 50_000_000,
}
LIST_FIELDS = ("capabilities", "nations", "bases", "sectors", "stations", "pools")


class LimitError(Exception):
    """A size limit was exceeded: ``path`` locates it, the message says how to raise it."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


@dataclass(frozen=True)
class Limits:
    values: int
    records: int
    triples: int
    nonzeros: int

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            values=_env("POSTURE_MAX_VALUES"),
            records=_env("POSTURE_MAX_RECORDS"),
            triples=_env("POSTURE_MAX_TRIPLES"),
            nonzeros=_env("POSTURE_MAX_NONZEROS"),
        )


def max_file_bytes() -> int:
    return _env("POSTURE_MAX_FILE_BYTES")


def _env(name: str) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return DEFAULTS[name]
    try:
        number = float(raw.replace("_", "").replace(",", ""))  # 1e7, 10_000_000, 10,000,000
    except ValueError:
        number = 0.0
    if not (number >= 1 and number.is_integer() and number < 2**63):
        raise LimitError("", f"environment variable {name}={raw!r}: expected a positive integer")
    return int(number)


def too_many(what: str, count: int, limit: int, variable: str) -> str:
    """The message of a refusal: what, how many, the limit and the variable that raises it."""
    return f"{what}: {count:,} exceeds the limit of {limit:,} (set {variable} to raise it)"


def check_values(data: Any) -> None:
    """Refuse parsed data with too many values, counting aliased (shared) parts each time used.

    A YAML alias bomb ("billion laughs") is small in memory but explodes in anything that walks
    it; this walk stops as soon as the count passes the limit, so it costs at most the limit.
    """
    limit = Limits.from_env().values
    for count, _ in enumerate(_walk(data), start=1):
        if count > limit:
            raise LimitError(
                "",
                f"more than {limit:,} values once aliases are expanded "
                "(set POSTURE_MAX_VALUES to raise it)",
            )


def _walk(value: Any) -> Iterator[Any]:
    stack = [value]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def check_records(data: dict[str, Any]) -> None:
    """Refuse raw data with too many records in any list (before validating them)."""
    limit = Limits.from_env().records
    for field in LIST_FIELDS:
        value = data.get(field)
        if isinstance(value, list) and len(value) > limit:
            message = too_many("records", len(value), limit, "POSTURE_MAX_RECORDS")
            raise LimitError(field, message)


def candidate_triples(instance: Instance) -> int:
    """(pool, base, station) combinations of matching capability: what the model first builds."""
    per_cap: dict[str, int] = {}
    for station in instance.stations:
        per_cap[station.capability] = per_cap.get(station.capability, 0) + 1
    return sum(len(p.bases) * per_cap.get(p.capability, 0) for p in instance.pools)


def check_instance(instance: Instance) -> None:
    """Refuse an instance whose candidate triples would not fit (before any array is built)."""
    limit = Limits.from_env().triples
    count = candidate_triples(instance)
    if count > limit:
        raise LimitError(
            "pools",
            too_many(
                "candidate (pool, base, station) triples", count, limit, "POSTURE_MAX_TRIPLES"
            ),
        )
