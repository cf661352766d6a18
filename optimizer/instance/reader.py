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
import io
import json
import math
import os
import stat
import tomllib
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class SideFile:
    """Where a list came from: a CSV side file, and the line on which each of its records
    starts (blank lines skipped, quoted cells may span lines), for errors that name the row."""

    path: Path
    lines: tuple[int, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        return str(self.path)

    def row(self, index: int) -> int:
        """The line of record ``index`` (header is line 1)."""
        return self.lines[index] if 0 <= index < len(self.lines) else index + 2


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
    overridden = apply_overrides(data, overrides, path, origins)
    return validate(data, path, origins, overridden)


def apply_overrides(
    data: dict[str, Any],
    overrides: list[str] | tuple[str, ...],
    path: Path,
    origins: dict[str, SideFile],
) -> dict[tuple[str, ...], str]:
    """Apply ``--set`` items in order; a list set to a CSV file name is read at once, so later
    items can reach into its records and its errors name that file. Returns each overridden
    field (list elements by position) with the item that set it, for errors to name."""
    overridden: dict[tuple[str, ...], str] = {}
    for item in overrides:
        overridden[apply_override(data, item)] = item.strip()
        target = item.split("=", 1)[0].strip()
        if target in LIST_FIELDS:  # the whole list replaced: by records, or by another file
            origins.pop(target, None)
            inline_side_files(data, path, origins)
            if target in origins:  # a side file: its rows are to blame, as for any side file
                overridden.pop((target,), None)
    return overridden


MAX_EXTENDS = 8  # files in one chain, the variant itself included (docs/instance-format.md)


def read_raw(
    path: Path, _chain: tuple[Path, ...] = ()
) -> tuple[dict[str, Any], dict[str, SideFile]]:
    """The file's data with side files inlined, and which list came from which CSV."""
    data = _parse(path)
    origins: dict[str, SideFile] = {}
    parent = data.pop("extends", None)
    if parent is not None:
        if not isinstance(parent, str):
            raise InstanceError(path, "extends", "expected the name of an instance file")
        parent_path = _inside(path, "extends", parent)
        if parent_path in _chain or parent_path == path.resolve():
            raise InstanceError(path, "extends", "circular extends")
        if len(_chain) + 2 > MAX_EXTENDS:  # this file's ancestors, itself and its parent
            raise InstanceError(path, "extends", f"extends chain longer than {MAX_EXTENDS} files")
        base, origins = read_raw(parent_path, (*_chain, path.resolve()))
        for name in LIST_FIELDS:
            if name in data:  # this file replaces the parent's list (and its side file)
                origins.pop(name, None)
        data = _merge(base, data)
    inline_side_files(data, path, origins)
    return data, origins


def inline_side_files(data: dict[str, Any], path: Path, origins: dict[str, SideFile]) -> None:
    """Replace every list given as a CSV file name (beside ``path``) by the file's records,
    noting the origin."""
    for name in LIST_FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            side = _side_file(path, name, value)
            records, lines = read_csv_rows(side)
            data[name] = records
            origins[name] = SideFile(side, lines)


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
            data = yaml.load(text, Loader=UniqueKeyLoader)
        elif suffix == ".toml":
            data = tomllib.loads(text)
        else:
            raise InstanceError(path, "", "expected a .yaml, .yml or .toml instance file")
    except DuplicateKey as exc:
        raise InstanceError(path, exc.where, exc.message) from None
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


def validate(
    data: dict[str, Any],
    path: Path,
    origins: dict[str, SideFile] | None = None,
    overridden: dict[tuple[str, ...], str] | None = None,
) -> Instance:
    """Validate raw data; errors name the file, side file row, or ``--set`` item at fault."""
    origins = dict(origins or {})
    overridden = overridden or {}
    try:
        # A list named as a CSV file by an override (--set sectors=other.csv) is read here,
        # so its errors name that file and row like any side file's.
        inline_side_files(data, path, origins)
        limits.check_records(data)
        instance = Instance.model_validate(data)
        limits.check_instance(instance)
        return instance
    except limits.LimitError as exc:
        raise InstanceError(path, exc.path, exc.message) from None
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, ReferenceError_):  # raised inside a validator: its own place
            raise _located(path, cause.path.split("."), cause.detail, origins, overridden) from None
        loc = [str(p) for p in err["loc"]]
        raise _located(path, loc, _describe(err), origins, overridden) from None
    except ReferenceError_ as exc:
        raise _located(path, exc.path.split("."), exc.detail, origins, overridden) from None
    except RecursionError:
        raise InstanceError(path, "", "nesting too deep to be an instance") from None


def read_csv_records(path: Path) -> list[dict[str, Any]]:
    """Rows of a side file as nested dicts (dotted columns), values still as text."""
    return read_csv_rows(path)[0]


def read_csv_rows(path: Path) -> tuple[list[dict[str, Any]], tuple[int, ...]]:
    """Rows of a side file as nested dicts (dotted columns), values still as text, and the line
    each row starts on. The rules of ``csv.reader`` (quoted cells keep commas and newlines);
    a column named twice, or a column beside a dotted column below it (``requirements`` and
    ``requirements.aew``), is an error: either would silently lose cells."""
    text = _read_text(path)
    limit = max(csv.field_size_limit(), len(text) + 1)
    csv.field_size_limit(limit)  # a cell can be as long as the file, which is bounded
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if not header or not any(name.strip() for name in header):
            raise InstanceError(path, "", "expected a header row naming the fields")
        columns = _columns(path, header)
        records: list[dict[str, Any]] = []
        lines: list[int] = []
        start = reader.line_num + 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                raise InstanceError(
                    path, f"row {line}", f"more cells ({len(row)}) than columns ({len(header)})"
                )
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
            lines.append(line)
    except csv.Error as exc:
        raise InstanceError(path, f"row {reader.line_num}", f"malformed CSV: {exc}") from None
    return records, tuple(lines)


def _columns(path: Path, header: list[str]) -> list[tuple[bool, list[str], int]]:
    """(list-valued?, dotted parts, position) per column; refuses names that would collide."""
    seen: dict[str, int] = {}
    columns = []
    for index, raw in enumerate(header):
        name = raw.strip()
        if not name:
            if index == len(header) - 1:  # a trailing comma on the header line
                continue
            raise InstanceError(path, f"header, column {index + 1}", "expected a field name")
        if name in seen:
            raise InstanceError(
                path,
                f"header, column {index + 1}",
                f"column {name!r} named twice (columns {seen[name] + 1} and {index + 1})",
            )
        seen[name] = index
        columns.append((name in SEQUENCE_COLUMNS, name.split("."), index))
    for name, index in seen.items():
        parts = name.split(".")
        for depth in range(1, len(parts)):
            prefix = ".".join(parts[:depth])
            if prefix in seen:
                raise InstanceError(
                    path,
                    f"header, column {index + 1}",
                    f"column {name!r} fills part of column {prefix!r} "
                    f"(column {seen[prefix] + 1}): give one or the other",
                )
    return columns


def apply_override(data: dict[str, Any], item: str) -> tuple[str, ...]:
    """Apply ``path=value`` (value read as YAML) to raw instance data, in place.

    Path segments index mappings by key and lists by position or by the ``id`` of an element:
    ``scenario.us_participation=none``, ``pools.UK-Typhoon.units=30``, ``sectors.0.weight=2``.
    """
    parts, value = parse_override(item)
    return set_path(data, parts, value)


def parse_override(item: str) -> tuple[tuple[str, ...], Any]:
    """``'path=value'`` -> the path's segments and the value read as YAML (text if not YAML)."""
    if "=" not in item:
        raise InstanceError("--set", item, "expected PATH=VALUE")
    path, raw_value = item.split("=", 1)
    parts = tuple(p.strip() for p in path.strip().split("."))
    if not any(parts):
        raise InstanceError("--set", item, "expected a field path before '='")
    if not all(parts):
        raise InstanceError("--set", path.strip(), "expected a field path without empty parts")
    try:
        value = yaml.safe_load(raw_value) if raw_value.strip() else None
    except yaml.YAMLError:
        value = raw_value
    if value is None and raw_value.strip() not in NULLS:  # '&a', '!!str': not a null meant
        value = raw_value.strip()
    return parts, value


NULLS = ("", "~", "null", "Null", "NULL")


def set_path(data: dict[str, Any], parts: tuple[str, ...], value: Any) -> tuple[str, ...]:
    """Set the field at ``parts`` of raw instance data to ``value``, in place (the one rule
    behind ``--set`` and the typed changes of :mod:`optimizer.instance.changes`); returns the
    path with list elements by position (how validation errors locate it)."""
    node: Any = data
    where: list[str] = []
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        here = ".".join(parts[: depth + 1])
        if isinstance(node, list):
            index = list_index(node, part)
            if index is None:
                raise InstanceError("--set", here, "expected a list position or an element id")
            where.append(str(index % len(node)))
            if last:
                node[index] = value
            else:
                node = node[index]
        elif isinstance(node, dict):
            where.append(part)
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
        else:
            what = "null" if node is None else _kind(node)
            raise InstanceError("--set", here, f"cannot descend into {what}")
    return tuple(where)


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
    """A regular file's text, read at most up to the size limit (a fifo or a device is refused
    before it is opened: it could block or never end). A UTF-8 byte-order mark is dropped."""
    limit = _file_limit(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InstanceError(path, "", "no such file") from None
    except IsADirectoryError:
        raise InstanceError(path, "", "expected a file, got a directory") from None
    except OSError as exc:
        raise InstanceError(path, "", f"cannot read: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InstanceError(path, "", "expected a file, got a directory")
        if not stat.S_ISREG(mode):
            raise InstanceError(path, "", f"expected a regular file, got {_file_kind(mode)}")
        size = os.fstat(fd).st_size
        if size > limit:
            raise InstanceError(path, "", _too_big(size, limit))
        with os.fdopen(fd, "rb", closefd=False) as stream:
            raw = stream.read(limit + 1)  # bounded even if the file grows meanwhile
    except OSError as exc:
        raise InstanceError(path, "", f"cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise InstanceError(path, "", _too_big(len(raw), limit, "more than "))
    if b"\x00" in raw:
        raise InstanceError(path, "", "expected a text file, found binary data")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InstanceError(path, "", f"expected UTF-8 text (bad byte at {exc.start})") from None
    return text[1:] if text.startswith("\ufeff") else text


def _too_big(size: int, limit: int, more: str = "") -> str:
    return f"file is {more}{size:,} bytes; the limit is {limit:,} (POSTURE_MAX_FILE_BYTES)"


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((what for test, what in kinds if test(mode)), "a special file")


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


def _located(
    path: Path,
    loc: list[str],
    message: str,
    origins: dict[str, SideFile],
    overridden: dict[tuple[str, ...], str] | None = None,
) -> InstanceError:
    for target, item in (overridden or {}).items():  # the value came from the command line
        if tuple(loc[: len(target)]) == target:
            return InstanceError(f"--set {item}", ".".join(loc), message)
    if loc and loc[0] in origins and len(loc) >= 2 and loc[1].isdigit():
        side = origins[loc[0]]
        column = ".".join(loc[2:]) or "(row)"
        return InstanceError(side.path, f"row {side.row(int(loc[1]))}, column {column}", message)
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


class DuplicateKey(yaml.YAMLError):
    """A mapping names a key twice: YAML would keep only the last value."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.message = message


class UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe YAML loader, refusing a key written twice in one mapping (at any depth).

    Merge keys (``<<: *defaults``) may still be overridden by the mapping's own keys: that is
    what they are for.
    """

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, yaml.Node] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:  # unhashable: the base loader says so
                    continue
                if first is not None:
                    line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                    raise DuplicateKey(
                        f"line {line}, column {column}",
                        f"key {key!r} given twice (first at line {first.start_mark.line + 1}); "
                        "YAML would keep only the last",
                    )
                seen[key] = key_node
        return super().construct_mapping(node, deep=deep)
