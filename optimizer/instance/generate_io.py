"""Writing a generated instance in the ordinary instance format: YAML plus CSV side files.

The big lists (sectors and stations always; nations, bases and pools when long) go to CSV
files beside the YAML, named ``<stem>.<field>.csv``, in the side-file convention of
:mod:`optimizer.instance.reader`: dotted columns for mappings, ``;`` between list items.
Nothing depends on the clock or on dict ordering, so the same data gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path
from typing import Any

import yaml

SIDE_ALWAYS = ("sectors", "stations")
SIDE_WHEN_LONGER = 40  # nations, bases and pools move to CSV beyond this many rows
LIST_FIELDS = ("nations", "bases", "pools", "sectors", "stations")


def side_files(out: Path, data: dict[str, Any]) -> dict[str, Path]:
    """Which lists of ``data`` go to which side file when written to ``out``."""
    return {
        field: out.with_name(f"{out.stem}.{field}.csv")
        for field in LIST_FIELDS
        if field in SIDE_ALWAYS or len(data.get(field, ())) > SIDE_WHEN_LONGER
    }


def write_instance(
    data: dict[str, Any], out: str | Path, force: bool = False, header: str = ""
) -> list[Path]:
    """Write ``data`` to ``out`` (YAML) and its side files; refuse to overwrite unless ``force``.

    Returns the paths written, the YAML file first.
    """
    out = Path(out)
    sides = side_files(out, data)
    targets = [out, *sides.values()]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise FileExistsError(f"{existing[0]} exists (use --force to overwrite)")
    out.parent.mkdir(parents=True, exist_ok=True)
    body = dict(data)
    for field, path in sides.items():
        _atomic_write(path, records_csv(body[field]))
        body[field] = path.name
    text = yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100)
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    _atomic_write(out, comment + text)
    return targets


def records_csv(records: list[dict[str, Any]]) -> str:
    """Records as CSV text: one column per (dotted) field, in order of first appearance."""
    rows = [_flatten(r) for r in records]
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(columns))
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue()


def _flatten(record: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}."))
        elif isinstance(value, list | tuple):
            out[name] = ";".join(_cell(v) for v in value)
        elif value is not None:
            out[name] = _cell(value)
    return out


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
