"""Reading instance files: YAML or TOML, CSV side files, ``--set`` overrides, located errors.

All parsing lives here. A file becomes plain Python data, overrides are applied to that data,
and only then is it validated into an :class:`~optimizer.instance.schema.Instance`, so an
override is checked exactly like a value written in the file.

Side files: any list field (``sectors``, ``stations``, ...) may be given as the name of a CSV
file beside the instance (``sectors: front_sectors.csv``). Columns are field names; a dotted
column (``requirements.air_patrol``) fills a nested mapping; list fields (``bases``, ``covers``)
and coordinate pairs (``start``, ``end``) are written with ``;`` between items; empty cells are
left out. Side files must lie inside the instance's own folder.

Variants: ``extends: baseline.yaml`` reads that file (in the same folder) first, then merges
this one over it: mappings merge key by key, everything else (lists included) is replaced.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import tomllib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from optimizer.instance import limits
from optimizer.instance.schema import Instance, ReferenceError_

MAX_FILE_BYTES = 64 * 1024 * 1024
LIST_FIELDS = ("capabilities", "nations", "bases", "sectors", "stations", "pools")
SEQUENCE_COLUMNS = {"bases", "covers", "start", "end"}


class InstanceError(Exception):
    """Bad input, located: which file, which field, what was expected. CLI exit code 2."""

    def __init__(self, file: str | Path, path: str, message: str) -> None:
        self.file = str(file)
        self.path = path
        self.message = message
        where = f"{self.file}: {path}: " if path else f"{self.file}: "
        super().__init__(where + message)


def load_instance(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> Instance:
    """Read, override and validate one instance file."""
    path = Path(path)
    data, origins = read_raw(path)
    for item in overrides:
        apply_override(data, item)
    return validate(data, path, origins)


def read_raw(path: Path, _chain: tuple[Path, ...] = ()) -> tuple[dict[str, Any], dict[str, Path]]:
    """The file's data with side files inlined, and which list came from which CSV."""
    data = _parse(path)
    origins: dict[str, Path] = {}
    parent = data.pop("extends", None)
    if parent is not None:
        if not isinstance(parent, str):
            raise InstanceError(path, "extends", "expected the name of an instance file")
        parent_path = _inside(path, "extends", parent)
        if parent_path in _chain or parent_path == path.resolve():
            raise InstanceError(path, "extends", "circular extends")
        if len(_chain) > 8:
            raise InstanceError(path, "extends", "extends chain deeper than 8 files")
        base, origins = read_raw(parent_path, (*_chain, path.resolve()))
        for field in LIST_FIELDS:
            if field in data:  # this file replaces the parent's list (and its side file)
                origins.pop(field, None)
        data = _merge(base, data)
    for field in LIST_FIELDS:
        value = data.get(field)
        if isinstance(value, str):
            side = _side_file(path, field, value)
            data[field] = read_csv_records(side)
            origins[field] = side
    return data, origins


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _parse(path: Path) -> dict[str, Any]:
    text = _read_text(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        elif suffix == ".toml":
            data = tomllib.loads(text)
        else:
            raise InstanceError(path, "", "expected a .yaml, .yml or .toml instance file")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InstanceError(path, where, f"YAML syntax error: {problem}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InstanceError(path, "", f"TOML syntax error: {exc}") from None
    except RecursionError:
        raise InstanceError(path, "", "nesting too deep to be an instance") from None
    try:
        limits.check_values(data)
    except limits.LimitError as exc:
        raise InstanceError(path, exc.path, exc.message) from None
    if not isinstance(data, dict):
        raise InstanceError(path, "", f"expected a mapping at the top level, got {_kind(data)}")
    return data


def validate(data: dict[str, Any], path: Path, origins: dict[str, Path] | None = None) -> Instance:
    try:
        limits.check_records(data)
        instance = Instance.model_validate(data)
        limits.check_instance(instance)
        return instance
    except limits.LimitError as exc:
        raise InstanceError(path, exc.path, exc.message) from None
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = [str(p) for p in err["loc"]]
        raise _located(path, loc, _describe(err), origins or {}) from None
    except ReferenceError_ as exc:
        raise _located(path, exc.path.split("."), exc.detail, origins or {}) from None
    except RecursionError:
        raise InstanceError(path, "", "nesting too deep to be an instance") from None


def read_csv_records(path: Path) -> list[dict[str, Any]]:
    """Rows of a side file as nested dicts (dotted columns), values still as text; the rules of
    ``csv.DictReader``, with the work per column (path, list or not) done once, not per cell."""
    text = _read_text(path)
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if not header:
        raise InstanceError(path, "", "expected a header row naming the fields")
    last = {name: i for i, name in enumerate(header)}
    columns = [
        (n in SEQUENCE_COLUMNS, n.strip().split("."), last[n]) for n in dict.fromkeys(header)
    ]
    records: list[dict[str, Any]] = []
    for row in reader:
        if not row:
            continue
        if len(row) > len(header):
            raise InstanceError(path, f"row {reader.line_num}", "more cells than columns")
        record: dict[str, Any] = {}
        for sequence, parts, index in columns:
            value: Any = row[index].strip() if index < len(row) else ""
            if not value:
                continue
            if sequence:
                value = [item.strip() for item in value.split(";") if item.strip()]
            target = record
            for part in parts[:-1]:
                target = target.setdefault(part, {})
            target[parts[-1]] = value
        records.append(record)
    return records


def apply_override(data: dict[str, Any], item: str) -> None:
    """Apply ``path=value`` (value read as YAML) to raw instance data, in place.

    Path segments index mappings by key and lists by position or by the ``id`` of an element:
    ``scenario.us_participation=none``, ``pools.UK-Typhoon.units=30``, ``sectors.0.weight=2``.
    """
    if "=" not in item:
        raise InstanceError("--set", item, "expected PATH=VALUE")
    path, raw_value = item.split("=", 1)
    parts = [p for p in path.strip().split(".") if p]
    if not parts:
        raise InstanceError("--set", item, "expected a field path before '='")
    try:
        value = yaml.safe_load(raw_value) if raw_value.strip() else None
    except yaml.YAMLError:
        value = raw_value
    node: Any = data
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        here = ".".join(parts[: depth + 1])
        if isinstance(node, list):
            index = list_index(node, part)
            if index is None:
                raise InstanceError("--set", here, "expected a list position or an element id")
            if last:
                node[index] = value
            else:
                node = node[index]
        elif isinstance(node, dict):
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
        else:
            raise InstanceError("--set", here, f"cannot descend into {_kind(node)}")


def content_hash(instance: Instance) -> str:
    """SHA-256 of the validated instance in canonical JSON: the same data, the same hash."""
    payload = json.dumps(instance.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def list_index(node: list[Any], part: str) -> int | None:
    """The position a path segment names in a list: an index, or the element with that id."""
    if part.lstrip("-").isdigit():
        index = int(part)
        return index if -len(node) <= index < len(node) else None
    for i, element in enumerate(node):
        if isinstance(element, dict) and str(element.get("id")) == part:
            return i
    return None


def _read_text(path: Path) -> str:
    try:
        limit = _file_limit(path)
        size = path.stat().st_size
        if size > limit:
            raise InstanceError(
                path, "", f"file is {size:,} bytes; the limit is {limit:,} (POSTURE_MAX_FILE_BYTES)"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InstanceError(path, "", "no such file") from None
    except IsADirectoryError:
        raise InstanceError(path, "", "expected a file, got a directory") from None
    except OSError as exc:
        raise InstanceError(path, "", f"cannot read: {exc.strerror}") from None
    if b"\x00" in raw:
        raise InstanceError(path, "", "expected a text file, found binary data")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InstanceError(path, "", f"expected UTF-8 text (bad byte at {exc.start})") from None


def _file_limit(path: Path) -> int:
    try:
        return limits.max_file_bytes()
    except limits.LimitError as exc:
        raise InstanceError(path, "", exc.message) from None


def _inside(instance_path: Path, field: str, name: str) -> Path:
    folder = instance_path.resolve().parent
    target = (folder / name).resolve()
    if not target.is_relative_to(folder):
        raise InstanceError(instance_path, field, "side files must lie inside the instance folder")
    return target


def _side_file(instance_path: Path, field: str, name: str) -> Path:
    side = _inside(instance_path, field, name)
    if side.suffix.lower() != ".csv":
        raise InstanceError(instance_path, field, "expected a list or the name of a .csv file")
    return side


def _located(path: Path, loc: list[str], message: str, origins: dict[str, Path]) -> InstanceError:
    if loc and loc[0] in origins and len(loc) >= 2 and loc[1].isdigit():
        row = int(loc[1]) + 2  # header is line 1
        column = ".".join(loc[2:]) or "(row)"
        return InstanceError(origins[loc[0]], f"row {row}, column {column}", message)
    return InstanceError(path, ".".join(loc), message)


def _describe(err: ErrorDetails) -> str:
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if err["type"] == "extra_forbidden":
        return "unknown field (not part of the instance format)"
    if err["type"] == "missing":
        return "required field is missing"
    given = err.get("input")
    if isinstance(given, float) and math.isnan(given):
        return f"{msg}; got NaN"
    if given is not None and not isinstance(given, dict | list):
        shown = repr(given)
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        return f"{msg}; got {shown}"
    return msg


def _kind(value: object) -> str:
    return "nothing (empty file)" if value is None else type(value).__name__
